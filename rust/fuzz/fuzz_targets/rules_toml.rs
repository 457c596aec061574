//! The `rules_toml` target: the properties of [`pii_core_checks::rules_toml`].
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| pii_core_checks::rules_toml::check(data));
