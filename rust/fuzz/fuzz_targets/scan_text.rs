//! The `scan_text` target: the properties of [`pii_core_checks::scan_text`]
//! ("twice equals once" as `PII_FUZZ_TWICE` says: [`pii_core_checks::fuzz_twice`]).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| pii_core_checks::scan_text::check_with(data, pii_core_checks::fuzz_twice()));
