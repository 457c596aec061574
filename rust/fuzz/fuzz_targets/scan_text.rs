//! The `scan_text` target: the properties of [`pii_core_checks::scan_text`].
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| pii_core_checks::scan_text::check(data));
