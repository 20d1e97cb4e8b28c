//! The WASM entry point: the server renders every page; only its islands (the parts that react
//! to the person) hydrate.

// Leptos views are deeply nested types; builds that do not erase them need room.
#![recursion_limit = "256"]

// The islands are `app`'s: linking it exports their hydrate functions.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
