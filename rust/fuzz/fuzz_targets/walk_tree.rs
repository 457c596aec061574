//! The `walk_tree` target: the properties of [`pii_core_checks::walk_tree`].
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| pii_core_checks::walk_tree::check(data));
