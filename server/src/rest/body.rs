//! Request bodies, read by the schema the OpenAPI document shows: one type per body. A handler
//! takes `Body<T>`; the members `T`'s schema lists are the only ones accepted, its required ones
//! must be there, and every failure is a 422 that names the member. A campaign's or creative's
//! PUT and PATCH bodies are derived from its draft (what a POST takes) and its representation
//! (what GET answers), so their fields are written once, in core.

use super::{ApiError, ApiResult, JSON_LIMIT};
use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
};
use serde::{de::DeserializeOwned, Deserialize};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::marker::PhantomData;
use utmforge_core::{Code, Field, Notice};
use utmforge_service::{Error, ErrorKind};
use utoipa::openapi::schema::{
    AdditionalProperties, ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type,
};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

/// A JSON object body: 415 unless it says `application/json`, 413 over the limit, 400 when it
/// is not JSON, 422 when it is not an object.
pub struct JsonObject(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        super::require_content_type(req.headers(), &["application/json"])?;
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| super::body_error(e, JSON_LIMIT))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError(Error::new(
                ErrorKind::Malformed,
                "malformed-json",
                "the request has no body: send a JSON object",
            )));
        }
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(map)) => Ok(JsonObject(map)),
            Ok(_) => Err(ApiError(Error::invalid(vec![Notice::new(
                Code::Required,
                Field::Body,
                "the body must be a JSON object",
            )]))),
            Err(e) => Err(ApiError(Error::new(
                ErrorKind::Malformed,
                "malformed-json",
                format!("the body is not valid JSON: {e}"),
            ))),
        }
    }
}

/// A JSON body read as `T`, exactly as strictly as `T`'s schema says (see [`Shape`]).
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + ToSchema> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let JsonObject(map) = JsonObject::from_request(req, state).await?;
        Shape::of::<T>().read(map).map(Body)
    }
}

/// What a body's schema allows: its members, the required ones, the read-only ones (a PUT may
/// carry back what GET answered: they are ignored) and the nullable ones (`null` is empty).
#[derive(Debug, Default)]
pub struct Shape {
    allowed: Vec<String>,
    required: Vec<String>,
    read_only: Vec<String>,
    nullable: Vec<String>,
}

impl Shape {
    /// The shape of `T`'s schema.
    pub fn of<T: ToSchema>() -> Shape {
        let components = referenced::<T>();
        let (properties, required) = members(&T::schema(), &components);
        let mut shape = Shape {
            required,
            ..Shape::default()
        };
        for (name, schema) in properties {
            if is_read_only(&schema) {
                shape.read_only.push(name.clone());
            } else if is_nullable(&schema, &components) {
                shape.nullable.push(name.clone());
            }
            shape.allowed.push(name);
        }
        shape
    }

    /// `map` as a `T`: read-only members dropped, then [`strict`].
    pub fn read<T: DeserializeOwned>(&self, mut map: Map<String, Value>) -> ApiResult<T> {
        map.retain(|key, _| !self.read_only.contains(key));
        let allowed: Vec<&str> = self
            .allowed
            .iter()
            .filter(|k| !self.read_only.contains(k))
            .map(String::as_str)
            .collect();
        let required: Vec<&str> = self.required.iter().map(String::as_str).collect();
        let nullable: Vec<&str> = self.nullable.iter().map(String::as_str).collect();
        strict(map, &allowed, &required, &nullable)
    }
}

/// An object's members by name.
type Members = BTreeMap<String, RefOr<Schema>>;
/// Schemas by name (what a `$ref` points to).
type Components = Vec<(String, RefOr<Schema>)>;

/// The schemas `T`'s schema refers to, by name.
fn referenced<T: ToSchema>() -> Components {
    let mut found = Vec::new();
    T::schemas(&mut found);
    found
}

fn resolve<'a>(
    schema: &'a RefOr<Schema>,
    components: &'a [(String, RefOr<Schema>)],
) -> Option<&'a Schema> {
    match schema {
        RefOr::T(schema) => Some(schema),
        RefOr::Ref(r) => {
            let name = r.ref_location.rsplit('/').next().unwrap_or_default();
            components
                .iter()
                .find(|(n, _)| n == name)
                .and_then(|(_, s)| resolve(s, components))
        }
    }
}

/// An object schema's members (an `allOf` of objects, as `#[serde(flatten)]` makes, merged)
/// and its required ones.
fn members(
    schema: &RefOr<Schema>,
    components: &[(String, RefOr<Schema>)],
) -> (BTreeMap<String, RefOr<Schema>>, Vec<String>) {
    let mut properties = BTreeMap::new();
    let mut required = Vec::new();
    match resolve(schema, components) {
        Some(Schema::Object(object)) => {
            for (name, schema) in &object.properties {
                properties.insert(name.clone(), schema.clone());
            }
            required.extend(object.required.iter().cloned());
        }
        Some(Schema::AllOf(all)) => {
            for item in &all.items {
                let (p, r) = members(item, components);
                properties.extend(p);
                required.extend(r);
            }
        }
        _ => {}
    }
    (properties, required)
}

fn is_read_only(schema: &RefOr<Schema>) -> bool {
    matches!(schema, RefOr::T(Schema::Object(o)) if o.read_only == Some(true))
}

fn is_nullable(schema: &RefOr<Schema>, components: &[(String, RefOr<Schema>)]) -> bool {
    let admits_null =
        |t: &SchemaType| matches!(t, SchemaType::Array(types) if types.contains(&Type::Null));
    match resolve(schema, components) {
        Some(Schema::Object(o)) => admits_null(&o.schema_type),
        Some(Schema::Array(a)) => admits_null(&a.schema_type),
        Some(Schema::OneOf(one)) => one
            .items
            .iter()
            .any(|s| matches!(s, RefOr::T(Schema::Object(o)) if o.schema_type == SchemaType::Type(Type::Null))),
        _ => false,
    }
}

/// `schema`, also admitting `null`.
fn or_null(schema: RefOr<Schema>, components: &[(String, RefOr<Schema>)]) -> RefOr<Schema> {
    if is_nullable(&schema, components) {
        return schema;
    }
    match schema {
        RefOr::T(Schema::Object(mut o)) => {
            let mut types = match o.schema_type {
                SchemaType::Type(t) => vec![t],
                SchemaType::Array(types) => types,
                SchemaType::AnyValue => return RefOr::T(Schema::Object(o)),
            };
            if !types.contains(&Type::Null) {
                types.push(Type::Null);
            }
            o.schema_type = SchemaType::Array(types);
            RefOr::T(Schema::Object(o))
        }
        other => OneOfBuilder::new()
            .item(other)
            .item(ObjectBuilder::new().schema_type(Type::Null))
            .into(),
    }
}

/// A read-only member: GET answers it, a PUT may carry it back, it is ignored.
fn read_only(schema: RefOr<Schema>) -> RefOr<Schema> {
    let described = ObjectBuilder::new()
        .read_only(Some(true))
        .description(Some("Read-only (as GET answers it): ignored."));
    match schema {
        RefOr::T(Schema::Object(mut o)) => {
            o.read_only = Some(true);
            o.description = Some(match o.description.take() {
                Some(d) => format!("{d} Read-only: ignored."),
                None => "Read-only (as GET answers it): ignored.".into(),
            });
            RefOr::T(Schema::Object(o))
        }
        // Any value is accepted (and ignored).
        _ => described.schema_type(SchemaType::AnyValue).into(),
    }
}

// ---------------------------------------------------------------------------------------------
// PUT and PATCH of a resource, derived from its draft and its representation
// ---------------------------------------------------------------------------------------------

/// A resource the API writes: a POST creates it from a `Draft`; a PUT replaces it with every
/// member of the draft; a PATCH changes some (`Patch`); GET answers `Repr`.
pub trait Resource: 'static {
    /// How the OpenAPI document names it (`Campaign`: `CampaignReplace`, `CampaignChange`).
    const NAME: &'static str;
    type Repr: ToSchema;
    type Draft: ToSchema + DeserializeOwned;
    type Patch: DeserializeOwned;
}

/// A change based on the `version` it read, and the members of `T` beside it.
pub struct Versioned<T> {
    pub version: i64,
    /// Confirms a change to an active campaign's live links (else 409 `live-link-change`).
    pub confirm_live_change: bool,
    pub body: T,
}

/// `version` and `confirm_live_change` taken out, the rest read as `T` (not
/// `#[serde(flatten)]`, which a `T` that denies unknown fields does not support).
impl<'de, T: DeserializeOwned> Deserialize<'de> for Versioned<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let mut map = Map::<String, Value>::deserialize(d)?;
        let version = map
            .remove("version")
            .ok_or_else(|| D::Error::missing_field("version"))?;
        let version = i64::deserialize(version).map_err(D::Error::custom)?;
        let confirm_live_change = match map.remove("confirm_live_change") {
            Some(v) => bool::deserialize(v).map_err(D::Error::custom)?,
            None => false,
        };
        let body = T::deserialize(Value::Object(map)).map_err(D::Error::custom)?;
        Ok(Versioned {
            version,
            confirm_live_change,
            body,
        })
    }
}

/// A PUT body: every member of the draft, `version`, `confirm_live_change`; what GET answered
/// may be sent back as it is (its other members are read-only, and `null` where GET answers it
/// is empty).
#[derive(Deserialize)]
#[serde(transparent, bound = "R::Draft: DeserializeOwned")]
pub struct Replace<R: Resource>(pub Versioned<R::Draft>, #[serde(skip)] pub PhantomData<R>);

/// A PATCH body: `version`, and the members of the draft that change.
#[derive(Deserialize)]
#[serde(transparent, bound = "R::Patch: DeserializeOwned")]
pub struct Change<R: Resource>(pub Versioned<R::Patch>, #[serde(skip)] pub PhantomData<R>);

fn version_member() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(utoipa::openapi::schema::SchemaFormat::KnownFormat(
            utoipa::openapi::schema::KnownFormat::Int64,
        )))
        .description(Some(
            "The version as read; a newer one on the server means 409 (`stale`).",
        ))
        .into()
}

fn confirm_member() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::Boolean)
        .description(Some(
            "`true`: the campaign is active and ads carry its old links; save anyway (else a change that alters a live URL is 409 `live-link-change`, listing them).",
        ))
        .into()
}

/// The draft's and the representation's members, and the schemas they refer to.
fn draft_and_repr<R: Resource>() -> (Members, Members, Components) {
    let mut components = referenced::<R::Draft>();
    components.extend(referenced::<R::Repr>());
    let (draft, _) = members(&R::Draft::schema(), &components);
    let (repr, _) = members(&R::Repr::schema(), &components);
    (draft, repr, components)
}

impl<R: Resource> PartialSchema for Replace<R> {
    fn schema() -> RefOr<Schema> {
        let (draft, repr, components) = draft_and_repr::<R>();
        let mut object = ObjectBuilder::new()
            .description(Some(format!(
                "Every field of a {name}, and the `version` it was read at. The representation GET answers is accepted as it is: its read-only members are ignored, `null` is empty.",
                name = R::NAME.to_lowercase()
            )))
            .additional_properties(Some(AdditionalProperties::FreeForm(false)))
            .property("version", version_member())
            .required("version");
        let drafted: Vec<String> = draft.keys().cloned().collect();
        for (name, schema) in draft {
            let nullable = is_nullable(&schema, &components)
                || repr.get(&name).is_some_and(|s| is_nullable(s, &components));
            object = object
                .property(
                    &name,
                    if nullable {
                        or_null(schema, &components)
                    } else {
                        schema
                    },
                )
                .required(&name);
        }
        object = object.property("confirm_live_change", confirm_member());
        for (name, schema) in repr {
            if !drafted.contains(&name) && name != "version" {
                object = object.property(&name, read_only(schema));
            }
        }
        object.into()
    }
}

impl<R: Resource> ToSchema for Replace<R> {
    fn name() -> Cow<'static, str> {
        format!("{}Replace", R::NAME).into()
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        R::Draft::schemas(schemas);
        R::Repr::schemas(schemas);
    }
}

impl<R: Resource> PartialSchema for Change<R> {
    fn schema() -> RefOr<Schema> {
        let (draft, _, components) = draft_and_repr::<R>();
        let mut object = ObjectBuilder::new()
            .description(Some(format!(
                "Some fields of a {name}, and the `version` it was read at; the others keep their values.",
                name = R::NAME.to_lowercase()
            )))
            .additional_properties(Some(AdditionalProperties::FreeForm(false)))
            .property("version", version_member())
            .required("version");
        for (name, schema) in draft {
            // `null`: left out (no change).
            object = object.property(&name, or_null(schema, &components));
        }
        object
            .property("confirm_live_change", confirm_member())
            .into()
    }
}

impl<R: Resource> ToSchema for Change<R> {
    fn name() -> Cow<'static, str> {
        format!("{}Change", R::NAME).into()
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        R::Draft::schemas(schemas);
    }
}

// ---------------------------------------------------------------------------------------------
// Reading a map strictly
// ---------------------------------------------------------------------------------------------

/// The input field a JSON member feeds, for error messages.
fn field_of(name: &str) -> Field {
    match name {
        "name" => Field::Name,
        "slug" | "campaign" => Field::Campaign,
        "buying_model" | "medium" => Field::Medium,
        "topic" | "term" => Field::Term,
        "landing_url" | "url" => Field::Url,
        "conversion" => Field::Conversion,
        "status" => Field::Status,
        "notes" => Field::Notes,
        "version" => Field::Version,
        "variant" | "content" => Field::Content,
        "headline" => Field::Headline,
        "description" => Field::Description,
        "id" => Field::Id,
        "urls" => Field::Urls,
        _ => Field::Body,
    }
}

/// How many unknown members an error names one by one.
const MAX_UNKNOWN_NAMED: usize = 10;

/// Reads `map` as a `T` whose members are among `allowed`, with every one of `required`:
/// an unknown member or a missing required one is a 422 that names each of them, and so is a
/// member of the wrong type. `null` for a `nullable` member is its default (left out, or
/// empty); for another it is a wrong type.
fn strict<T: DeserializeOwned>(
    mut map: Map<String, Value>,
    allowed: &[&str],
    required: &[&str],
    nullable: &[&str],
) -> ApiResult<T> {
    // JSON has one number type: `3.0` is the integer 3 (a version, say).
    for value in map.values_mut() {
        if let Some(f) = value
            .as_f64()
            .filter(|f| value.is_f64() && f.fract() == 0.0 && f.abs() < 9e15)
        {
            *value = Value::from(f as i64);
        }
    }
    let mut notices = Vec::new();
    let unknown: Vec<&String> = map
        .keys()
        .filter(|k| !allowed.contains(&k.as_str()))
        .collect();
    // A body of a million unknown members gets a bounded answer.
    for key in unknown.iter().take(MAX_UNKNOWN_NAMED) {
        notices.push(Notice::new(
            Code::UnknownField,
            Field::Body,
            format!(
                "unknown field “{}”: the fields are {}",
                key.chars().take(60).collect::<String>(),
                allowed.join(", ")
            ),
        ));
    }
    if unknown.len() > MAX_UNKNOWN_NAMED {
        notices.push(Notice::new(
            Code::UnknownField,
            Field::Body,
            format!(
                "and {} more unknown fields",
                unknown.len() - MAX_UNKNOWN_NAMED
            ),
        ));
    }
    for key in required.iter().filter(|k| !map.contains_key(**k)) {
        notices.push(Notice::new(
            Code::Required,
            field_of(key),
            format!("{key} is required"),
        ));
    }
    map.retain(|key, value| {
        !(value.is_null() && nullable.contains(&key.as_str())) && allowed.contains(&key.as_str())
    });
    let read = serde_json::from_value::<T>(Value::Object(map.clone()));
    match read {
        Ok(value) if notices.is_empty() => return Ok(value),
        Ok(_) => {}
        Err(e) if e.to_string().starts_with("missing field") => {}
        Err(e) => {
            // Name the member of the wrong type (first: it is what the body got wrong, the
            // rest is what it left out): the one without which the rest reads (or only
            // misses it).
            let culprit = map.keys().find(|key| {
                let mut without = map.clone();
                without.remove(key.as_str());
                match serde_json::from_value::<T>(Value::Object(without)) {
                    Ok(_) => true,
                    Err(e) => e.to_string().contains(&format!("missing field `{key}`")),
                }
            });
            let field = culprit.map_or(Field::Body, |k| field_of(k));
            let name = culprit.map_or(String::new(), |k| format!("{k}: "));
            notices.insert(
                0,
                Notice::new(Code::NotAllowed, field, format!("{name}{e}")),
            );
        }
    }
    Err(ApiError(Error::invalid(notices)))
}
