//! A page's data: what it depends on (`Key`) and its loader (`Loaded`).

use super::{Answer, AppError};
use leptos::prelude::*;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;

/// What a page's data depends on: an id from the URL, another parameter, and a page number.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Key {
    pub id: Option<String>,
    pub other: Option<String>,
    pub page: usize,
}

impl Key {
    /// Data that depends on nothing.
    pub fn none() -> Key {
        Key::default()
    }

    /// Data that depends on one id.
    pub fn id(id: String) -> Key {
        Key {
            id: Some(id),
            ..Key::default()
        }
    }

    /// Also depends on `other`.
    pub fn with(self, other: Option<String>) -> Key {
        Key { other, ..self }
    }

    /// Also depends on the page number in the address's `page` (1 when absent or not a number).
    pub fn page(self, page: Option<String>) -> Key {
        let page = page.and_then(|p| p.trim().parse().ok()).unwrap_or(1);
        Key { page, ..self }
    }
}

/// How a page's data is fetched: a call to one of the loaders below.
pub type Fetch = fn(Key) -> Pin<Box<dyn Future<Output = Result<Answer, AppError>> + Send>>;

/// A page's data, loading: a `Resource` of [`Answer`]s that reads as a `T` when awaited.
pub struct Loaded<T> {
    data: Resource<Result<Answer, AppError>>,
    shape: PhantomData<fn() -> T>,
}

impl<T> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Loaded<T> {}

impl<T> Loaded<T> {
    /// Starts loading (on the server while rendering; in the browser when `key` changes).
    pub fn new(key: impl Fn() -> Key + Send + Sync + 'static, fetch: Fetch) -> Self {
        Loaded {
            data: load(Arc::new(key), fetch),
            shape: PhantomData,
        }
    }
}

/// The one place a page's data `Resource` is made (one instance of its code in the WASM).
#[inline(never)]
fn load(
    key: Arc<dyn Fn() -> Key + Send + Sync>,
    fetch: Fetch,
) -> Resource<Result<Answer, AppError>> {
    Resource::new(move || key(), fetch)
}

impl<T: serde::de::DeserializeOwned + Send + 'static> IntoFuture for Loaded<T> {
    type Output = Result<T, AppError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, AppError>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        let data = self.data;
        Box::pin(async move { data.await.and_then(|answer| answer.decode()) })
    }
}
