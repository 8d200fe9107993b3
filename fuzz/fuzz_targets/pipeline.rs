//! Bytes -> rendered artefacts, for both launch types. The input is a Dockerrun, then settings
//! documents, separated by lines `----` (see `eb2ecs_fuzz::split`). Checks: no panic, errors are
//! input errors, JSON artefacts parse as JSON and cloudformation.yaml as YAML, no secret value
//! of the input in any artefact, and the same output twice.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    eb2ecs_fuzz::pipeline(data);
});
