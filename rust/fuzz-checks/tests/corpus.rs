//! Every committed corpus input (`rust/fuzz/corpus/<target>/*`) through its
//! target's checks, then seeded mutations of them (not coverage-guided:
//! see [`pii_core_checks::mutate`]), with the same checks ("twice equals
//! once" strictly but for the kinds still open, see `mutation_check`).
//! `PII_FUZZ_MUTATIONS` sets how many
//! mutations each target tries (default [`MUTATIONS`]).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::{env, fs};

use pii_core_checks::mutate::{mutate, Rng};
use pii_core_checks::{json_lines, rules_toml, scan_text, walk_tree, Twice};

/// Mutations per target in a default run.
const MUTATIONS: usize = 300;

/// A target's checks: panics on an input that breaks them.
type Check = fn(&[u8]);

const TARGETS: [(&str, Check); 4] =
    [("json_lines", json_lines::check), ("rules_toml", rules_toml::check), ("scan_text", scan_text::check), ("walk_tree", walk_tree::check)];

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus")
}

/// The target's committed inputs, by name, in name order.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let mut inputs: Vec<_> = fs::read_dir(corpus_dir().join(target))
        .unwrap_or_else(|e| panic!("corpus of {target}: {e}"))
        .map(|entry| entry.expect("a corpus entry").path())
        .filter(|path| path.is_file())
        .map(|path| (path.file_name().expect("a name").to_string_lossy().into_owned(), fs::read(&path).expect("a corpus input")))
        .collect();
    inputs.sort();
    inputs
}

/// Names of the inputs `check` panics on.
fn failures<'a>(check: Check, inputs: impl IntoIterator<Item = (String, &'a [u8])>) -> Vec<String> {
    inputs.into_iter().filter(|(_, data)| catch_unwind(AssertUnwindSafe(|| check(data))).is_err()).map(|(name, _)| name).collect()
}

fn check(target: &str) -> Check {
    TARGETS.iter().find(|(t, _)| *t == target).expect("a target").1
}

/// The checks for mutations: "twice equals once" strictly but for the
/// kinds the README lists as open ([`Twice::Known`]: more masks near a
/// mask of the first pass; notes of text made JSON by masks, of URLs in keys).
fn mutation_check(target: &str) -> Check {
    const KNOWN: Twice = Twice::Known { notes_may_differ: false };
    match target {
        "scan_text" => |d| scan_text::check_with(d, KNOWN),
        "walk_tree" => |d| walk_tree::check_with(d, KNOWN),
        _ => check(target),
    }
}

#[test]
fn every_corpus_is_a_target_and_every_target_has_a_corpus() {
    let mut dirs: Vec<_> = fs::read_dir(corpus_dir()).expect("the corpora").map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned()).collect();
    dirs.sort();
    assert_eq!(dirs, TARGETS.map(|(t, _)| t));
    // The fuzz crate's targets are these (each a `[[bin]]` of rust/fuzz).
    let manifest = fs::read_to_string(corpus_dir().join("../Cargo.toml")).expect("the fuzz crate's manifest");
    let bins: Vec<_> = manifest.lines().filter_map(|l| l.strip_prefix("name = \"")?.strip_suffix('"')).filter(|n| *n != "pii-core-fuzz").collect();
    let mut bins = bins;
    bins.sort();
    assert_eq!(bins, TARGETS.map(|(t, _)| t));
}

fn replay(target: &str) {
    let inputs = corpus(target);
    assert!(inputs.len() >= 5, "{target}: {} inputs", inputs.len());
    let failed = failures(check(target), inputs.iter().map(|(n, d)| (n.clone(), d.as_slice())));
    assert!(failed.is_empty(), "{target}: the checks fail on {failed:?}");
}

/// Seeded mutations of the target's inputs; a failing one is written to
/// `target/fuzz-mutations/<target>/` to be kept.
fn mutations(target: &str) {
    let count = env::var("PII_FUZZ_MUTATIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(MUTATIONS);
    let inputs = corpus(target);
    let mut rng = Rng::new(target.len() as u64 * 7919 + count as u64);
    let mut failed = Vec::new();
    for i in 0..count {
        let (_, input) = &inputs[i % inputs.len()];
        let (_, other) = &inputs[rng.below(inputs.len())];
        let data = mutate(&mut rng, input, other);
        if catch_unwind(AssertUnwindSafe(|| mutation_check(target)(&data))).is_err() {
            let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/fuzz-mutations").join(target);
            fs::create_dir_all(&dir).expect("a directory for failing inputs");
            let path = dir.join(format!("mutation-{i}"));
            fs::write(&path, &data).expect("a failing input written");
            failed.push(path.display().to_string());
        }
    }
    assert!(failed.is_empty(), "{target}: the checks fail on {failed:?}");
}

#[test]
fn json_lines_corpus() {
    replay("json_lines");
}

#[test]
fn rules_toml_corpus() {
    replay("rules_toml");
}

#[test]
fn scan_text_corpus() {
    replay("scan_text");
}

#[test]
fn walk_tree_corpus() {
    replay("walk_tree");
}

#[test]
fn json_lines_mutations() {
    mutations("json_lines");
}

#[test]
fn rules_toml_mutations() {
    mutations("rules_toml");
}

#[test]
fn scan_text_mutations() {
    mutations("scan_text");
}

#[test]
fn walk_tree_mutations() {
    mutations("walk_tree");
}

/// Inputs of the kinds still open (`rust/fuzz/open/<target>/*`, found by
/// libFuzzer and not yet fixed): each still breaks "twice equals once" as
/// the seeded mutations assert it ([`Twice::Known`]; when one no longer
/// does, it is fixed: move it to the corpus, with a regression test), and
/// passes what `.ci/run`'s short runs assert ([`Twice::Masks`]).
#[test]
fn open_inputs_are_still_open_and_pass_the_short_runs_checks() {
    let open = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/open");
    let mut seen = 0;
    for (target, known, masks) in [
        ("scan_text", (|d| scan_text::check_with(d, Twice::Known { notes_may_differ: false })) as Check, (|d| scan_text::check_with(d, Twice::Masks)) as Check),
        ("walk_tree", |d| walk_tree::check_with(d, Twice::Known { notes_may_differ: false }), |d| walk_tree::check_with(d, Twice::Masks)),
    ] {
        let dir = open.join(target);
        if !dir.exists() {
            continue; // none of this target's kinds is open
        }
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("open inputs of {target}: {e}")) {
            let path = entry.expect("an entry").path();
            let data = fs::read(&path).expect("an open input");
            let name = path.display().to_string();
            assert_eq!(failures(known, [(name.clone(), data.as_slice())]), std::slice::from_ref(&name), "fixed: move it to the corpus");
            assert!(failures(masks, [(name.clone(), data.as_slice())]).is_empty(), "{name} fails the short runs' checks");
            seen += 1;
        }
    }
    assert!(seen > 0, "no open inputs: remove this test and rust/fuzz/open");
}
