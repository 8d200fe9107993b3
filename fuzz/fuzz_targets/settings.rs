//! Bytes -> `eb2ecs::load::settings::parse` (.ebextensions YAML, saved configurations, describe
//! JSON). The first byte picks where the file was found (the layer hint), the rest is the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let hint = eb2ecs_fuzz::layer_hint(selector);
    if let Err(e) = eb2ecs::load::settings::parse(text, "settings.config", "settings.config", hint)
    {
        eb2ecs_fuzz::check_error("settings", &e);
    }
});
