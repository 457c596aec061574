//! `cargo bench -p pii-core`: the core alone, without Python. Each round's
//! text is built just before it with values of its own (a repeated text
//! would measure the CPU caches, not the scanner); medians are printed.
//! `cargo bench -p pii-core -- WORD` runs the cases whose name holds WORD;
//! `PII_BENCH_ROUNDS=N` sets every case's rounds (for a run under valgrind).

use std::hint::black_box;
use std::time::{Duration, Instant};

use pii_core::act::Hasher;
use pii_core::engine::{default_targets, Engine, Run};
use pii_core::rules::RuleSet;
use pii_core::tree::{KeyKind, ROOT};

/// One piece of a 1 MiB text, made with the generator.
type Piece = dyn Fn(&mut Rng) -> String;

/// A small deterministic generator, so runs compare.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A valid Latvian IBAN of `bban` (ISO 7064 mod 97-10 check digits).
fn iban(bban: &str) -> String {
    let digits: String = format!("{bban}LV00").chars().map(|c| c.to_digit(36).expect("alphanumeric").to_string()).collect();
    let rest = digits.bytes().fold(0u32, |r, d| (r * 10 + u32::from(d - b'0')) % 97);
    format!("LV{:02}{bban}", 98 - rest)
}

fn median(name: &str, rounds: usize, mut make: impl FnMut(usize) -> Vec<String>, mut run: impl FnMut(&[String])) {
    // cargo passes `--bench` first; a word after it picks the cases.
    if let Some(word) = std::env::args().skip(1).find(|a| !a.starts_with("--")) {
        if !name.contains(word.as_str()) {
            return;
        }
    }
    let rounds = std::env::var("PII_BENCH_ROUNDS").ok().and_then(|n| n.parse().ok()).unwrap_or(rounds);
    let mut times: Vec<Duration> = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let input = make(round);
        let start = Instant::now();
        run(black_box(&input));
        times.push(start.elapsed());
    }
    times.sort();
    let m = times[rounds / 2];
    println!("{name:<58} median {:>10.2} µs  ({rounds} rounds)", m.as_secs_f64() * 1e6);
}

fn main() {
    let rules = RuleSet::shipped().expect("shipped rules");
    let hasher = Hasher::new([("bench", b"benchmark-key-0123456789".as_slice())]).expect("key");
    let engine = Engine::new(&rules, default_targets(&rules), hasher, 32).expect("engine");
    let mut rng = Rng(0x2026_1201);

    let clean = |rng: &mut Rng| -> Vec<String> {
        vec![
            "request finished".into(),
            format!("2026-11-25T10:{:02}:{:02}.{:06}Z", rng.below(60), rng.below(60), rng.below(1_000_000)),
            "info".into(),
            format!("{:032x}", rng.next() as u128 * rng.next() as u128),
            format!("{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}", rng.next() as u32, rng.below(65536), rng.below(4096), rng.below(4096), rng.below(1 << 48)),
            "/api/v2/invoices/{id}".into(),
            format!("{} ms", rng.below(900)),
        ]
    };
    let mixed = |rng: &mut Rng| -> Vec<String> {
        let n = rng.below(1_000_000);
        vec![
            format!("payment {n} received"),
            format!("anna.ozola{n}@example.lv"),
            format!("call back on +371 2{:07}, invoice INV-2026-{n:06}", rng.below(10_000_000)),
            format!("customer {n} paid 42.50 EUR, note: piegāde uz Brīvības iela {} rīt", rng.below(200) + 1),
            format!("GET /api/v2/customers/{n}?email=anna{n}%40example.lv&page=2"),
            format!("2026-11-25T10:00:{:02}Z", rng.below(60)),
        ]
    };
    let scan_all = |texts: &[String]| {
        let (_, run) = engine.walk(Run::new(false, false), |walk| {
            for text in texts {
                let node = walk.child(ROOT, KeyKind::Str, "message", true);
                black_box(walk.string(node, text, 1));
            }
        });
        black_box(run.categories);
    };
    median("strings of a clean event (7), through the walk", 20_000, |_| clean(&mut rng), scan_all);
    median("strings of a mixed event (6), through the walk", 20_000, |_| mixed(&mut rng), scan_all);

    let one_mb = |piece: &Piece, rng: &mut Rng| -> Vec<String> {
        let mut text = String::with_capacity(1 << 20);
        while text.len() < 1 << 20 {
            text.push_str(&piece(rng));
        }
        vec![text]
    };
    // As the Python benchmark's Latvian log text: a name, a phone and a
    // valid IBAN every 80 characters or so, of 8,000 people.
    const FIRST: [&str; 20] = [
        "Jānis", "Anna", "Līga", "Pēteris", "Kristaps", "Ilze", "Mārtiņš", "Inese", "Andris", "Dace", "Edgars", "Zane", "Raivis",
        "Santa", "Gatis", "Laura", "Uldis", "Agnese", "Normunds", "Elīna",
    ];
    const LAST: [&str; 20] = [
        "Bērziņš", "Ozols", "Kalniņš", "Liepa", "Kļaviņš", "Jansons", "Krūmiņš", "Zariņš", "Lapiņš", "Vītols", "Eglītis", "Balodis",
        "Strazds", "Siliņš", "Āboliņš", "Zvirbulis", "Grīnbergs", "Kalējs", "Celmiņš", "Pētersons",
    ];
    let latvian = |rng: &mut Rng| -> String {
        let n = rng.below(8000) as usize;
        let (first, last, second) = (FIRST[n % 20], LAST[n / 20 % 20], LAST[n / 400 % 20]);
        let name = if n < 400 { format!("{first} {last}") } else { format!("{first} {last}-{second}") };
        format!("klients {name} samaksāja, tālr. 29{:06}, konts {}; ", rng.below(1_000_000), iban(&format!("BANK{n:013}")))
    };
    let kinds: [(&str, &Piece); 6] = [
        ("1 MiB of Latvian log text with names, phones and IBANs", &latvian),
        ("1 MiB of digits", &|rng: &mut Rng| format!("{}", rng.next())),
        ("1 MiB of e-mails", &|rng: &mut Rng| format!("anna{}@example.lv ", rng.below(1_000_000))),
        ("1 MiB of log text with personal data", &|rng: &mut Rng| {
            format!("klients {} samaksāja, tālr. 29{:06}, e-pasts j{}@inbox.lv; ", rng.below(1000), rng.below(1_000_000), rng.below(1000))
        }),
        ("1 MiB of key=value pairs", &|rng: &mut Rng| format!("k{}=v{} ", rng.below(100), rng.below(100))),
        ("1 MiB of separators", &|rng: &mut Rng| ["-", ",", ".", " ", ":"][rng.below(5) as usize].to_string()),
    ];
    for (name, piece) in kinds {
        median(name, 21, |_| one_mb(piece, &mut rng), scan_all);
    }
}
