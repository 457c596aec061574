//! The `json_lines` target: the properties of [`pii_core_checks::json_lines`].
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| pii_core_checks::json_lines::check(data));
