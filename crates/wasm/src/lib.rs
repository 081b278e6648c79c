//! wasm-bindgen layer over `gsd-engine`: three exports, nothing else. Only protocol errors
//! (bad JSON shape, unknown schema) throw; everything else is data in the Report.

use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

fn serializer() -> serde_wasm_bindgen::Serializer {
    serde_wasm_bindgen::Serializer::new()
        .serialize_missing_as_null(false)
        .serialize_maps_as_objects(true)
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serializer())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// `check(snapshot) -> Report`. The snapshot is passed as a JSON string: one copy across the
/// boundary, and serde_json's error messages name the field that is wrong.
#[wasm_bindgen]
pub fn check(snapshot_json: &str) -> Result<JsValue, JsError> {
    let snapshot = gsd_engine::parse_snapshot(snapshot_json).map_err(|e| JsError::new(&e))?;
    to_js(&gsd_engine::check(&snapshot))
}

/// Metadata and docs of every rule.
#[wasm_bindgen]
pub fn rules() -> Result<JsValue, JsError> {
    to_js(&gsd_engine::rules())
}

#[wasm_bindgen]
pub fn version() -> String {
    gsd_engine::ENGINE_VERSION.to_string()
}
