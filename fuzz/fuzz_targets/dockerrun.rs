//! Bytes -> `eb2ecs::load::dockerrun_from_text`: no panic, and errors are input errors.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) =
        eb2ecs::load::dockerrun_from_text(text, "Dockerrun.aws.json", "Dockerrun.aws.json")
    {
        eb2ecs_fuzz::check_error("dockerrun", &e);
    }
});
