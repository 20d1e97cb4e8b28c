//! Shared by the GA4 and measurement tests.

/// Compares `actual` with `tests/golden/{name}`; `UPDATE_GOLDEN=1` rewrites the file first
/// (then review the diff before committing it).
pub fn golden(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, format!("{actual}\n")).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    assert_eq!(
        actual,
        expected.trim_end(),
        "{name} differs from its golden file"
    );
}
