//! The WASM entry point: hydrates the server-rendered page. `hydrate_lazy` first loads the
//! current page's view chunk (every page is a lazy route; the server has already listed its
//! chunks as preloads), then hydrates.

// Leptos views are deeply nested types; builds that do not erase them need room.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}
