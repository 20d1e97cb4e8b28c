//! Server-function answers as JSON text: the codec (`JsonText`, `JsonAnswer`) and the
//! `Answer` a page's data arrives in.

use super::AppError;
use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::{Deserialize, Serialize};

/// Server-function answers (and errors) as JSON, read in the browser from text: the reader the
/// page already uses for the data it was rendered with (`Resource` hydration). With leptos'
/// default (`serde_json::from_slice`) every answer type had its decoder compiled twice into the
/// WASM, once per reader.
pub struct JsonText;

/// The answer side of every server function here: `#[server(output = JsonAnswer)]`.
pub type JsonAnswer = Post<JsonText>;

impl ContentType for JsonText {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonText {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonText {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: serde::de::DeserializeOwned> Decodes<T> for JsonText {
    type Error = String;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(|e| e.to_string())?;
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

/// A loader's answer, kept as the JSON text it arrived as. Every page's data comes as one of
/// these and is decoded by the view that shows it ([`Loaded`]): one `Resource` type for all,
/// and in an island's WASM only the decoders of what that island shows. On the wire it is the
/// answer's plain JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Answer(pub(crate) Box<serde_json::value::RawValue>);

impl Answer {
    /// The answer carrying `value`.
    pub fn of<T: Serialize>(value: &T) -> Result<Answer, AppError> {
        serde_json::value::to_raw_value(value)
            .map(Answer)
            .map_err(|e| AppError::Internal(e.to_string()))
    }

    /// The value, read as a `T`.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, AppError> {
        serde_json::from_str(self.0.get())
            .map_err(|e| AppError::Internal(format!("the answer could not be read: {e}")))
    }
}
