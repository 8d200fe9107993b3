//! The `eb2ecs` binary: everything lives in the library; this maps the outcome to an exit code.

fn main() {
    std::process::exit(eb2ecs::app::main());
}
