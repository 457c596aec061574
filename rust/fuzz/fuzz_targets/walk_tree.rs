//! The `walk_tree` target: the properties of [`pii_core_checks::walk_tree`]
//! ("twice equals once" as `PII_FUZZ_TWICE` says: [`pii_core_checks::fuzz_twice`]).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| pii_core_checks::walk_tree::check_with(data, pii_core_checks::fuzz_twice()));
