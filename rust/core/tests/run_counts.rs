//! `Run::counting`: the findings a summary notes, counted by target without paths.

use pii_core::act::Hasher;
use pii_core::engine::{default_targets, Engine, Run};
use pii_core::rules::RuleSet;
use pii_core::tree::{KeyKind, ROOT};

const FIELDS: [(&str, &str); 5] = [
    ("user.email", "anna.ozola@example.lv"),
    ("note", "call back on +371 21 234 567 or +371 29 123 456"),
    ("iban", "LV80BANK0000435195001"),
    ("message", "payment received"),
    ("password", "Ziema2026!"),
];

fn walk(engine: &Engine, run: Run) -> Run {
    engine
        .walk(run, |walk| {
            for (key, text) in FIELDS {
                let node = walk.child(ROOT, KeyKind::Str, key, true);
                walk.string(node, text, 1);
            }
        })
        .1
}

#[test]
fn counts_by_target_are_the_summary_notes_without_paths() {
    let rules = RuleSet::shipped().expect("shipped rules");
    let hasher = Hasher::new([("t1", b"a-test-key-that-is-long-enough".as_slice())]).expect("key");
    let engine = Engine::new(&rules, default_targets(&rules), hasher, 32).expect("engine");
    let summary = walk(&engine, Run::new(true, false));
    let counting = walk(&engine, Run::counting(false));
    let mut noted: Vec<(u32, usize)> = Vec::new();
    for (_, target, _, n) in summary.notes() {
        match noted.iter_mut().find(|(t, _)| *t == target) {
            Some(entry) => entry.1 += n,
            None => noted.push((target, n)),
        }
    }
    assert!(noted.iter().any(|&(_, n)| n == 2), "two phones in one text are counted twice: {noted:?}");
    assert_eq!(counting.target_counts(), noted.as_slice());
    assert!(counting.notes().is_empty() && !counting.summary());
    assert_eq!((counting.categories, counting.changes), (summary.categories, summary.changes));
    assert!(Run::new(true, false).target_counts().is_empty());
}

#[test]
fn the_category_list_is_every_category_found_in_order() {
    let mut run = pii_core::engine::Run::new(false, false);
    assert!(run.category_list().is_empty());
    // Bit 0 is no category (the unchecked target's 0 is never set, but a caller's bits may hold it).
    run.categories = 1 | 1 << 1 | 1 << 5 | 1 << 18 | 1 << 31;
    assert_eq!(run.category_list(), [1, 5, 18, 31]);
}
