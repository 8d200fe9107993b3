//! Bytes -> the secret detector over command text and the guarded YAML/JSON parsers every
//! loader uses (issue 26). Invariants: nothing panics; a command whose secrets were moved holds
//! no secret the detector sees outside the references put in their place; the guarded parsers
//! only ever refuse with an input error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for line in text.lines().take(64) {
        let _ = eb2ecs::detect::mask_line(line);
        if let Some(moved) = eb2ecs::convert::secrets::move_shell_secrets(line, "fuzz") {
            // What the detector still sees must be the references eb2ecs put in (a `user:`
            // before `"${FUZZ_SECRET}"@host` reads like a URL again), never text of the line.
            let left: Vec<&str> = eb2ecs::detect::secret_spans(&moved.command)
                .into_iter()
                .map(|(a, b)| &moved.command[a..b])
                .filter(|s| !s.contains("${FUZZ"))
                .collect();
            assert!(left.is_empty(), "{line:?} -> {:?}: {left:?}", moved.command);
            assert!(moved.vars.iter().all(|(_, v)| !v.is_empty()), "{line:?}");
        }
    }
    if let Err(e) = eb2ecs::load::guard::yaml("fuzz.yaml", text) {
        eb2ecs_fuzz::check_error("secrets/yaml", &e);
    }
    if let Err(e) = eb2ecs::load::guard::json("fuzz.json", text) {
        eb2ecs_fuzz::check_error("secrets/json", &e);
    }
});
