//! Any bytes as one CloudTrail record or EventBridge event (the responder's input) and
//! as a log file: an error or an event, never a panic; and a parsed event runs through
//! every detector without one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ringfence_trail::{Engine, State, TrailConfig};

fuzz_target!(|data: &[u8]| {
    let config = TrailConfig::default();
    if let Ok(event) = ringfence_trail::parse_event(data, "fuzz") {
        let mut engine = Engine::new(&config, State::default());
        let _ = engine.observe(&event);
    }
});
