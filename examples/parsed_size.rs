//! The memory yardstick of `scripts/bench targets`: parses one JSON file into a
//! `serde_json::Value` and holds it, so the process's peak resident memory is the input's parsed
//! size (plus a process's baseline). Issue 26's target: a conversion's peak stays under ten
//! times this. `cargo run --release --example parsed_size -- FILE` runs it.

fn main() {
    let Some(path) = std::env::args().skip(1).find(|a| !a.starts_with('-')) else {
        return; // no file: nothing to measure
    };
    let text = std::fs::read_to_string(&path).expect("read the file");
    let value: serde_json::Value = serde_json::from_str(&text).expect("a JSON file");
    drop(text);
    println!("{} parsed: {}", path, value.is_object() || value.is_array());
}
