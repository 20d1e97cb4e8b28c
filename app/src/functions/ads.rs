//! Server functions for a campaign's ChatGPT Ads page: each one line onto a use case of
//! `utmforge_service::ads`.

#[cfg(feature = "ssr")]
use crate::api::ssr;
use crate::api::{Answer, AppError, JsonAnswer};
use leptos::prelude::*;
use std::collections::BTreeMap;
#[cfg(feature = "ssr")]
use utmforge_service::ads;

/// Whether this server is connected to ChatGPT Ads (the Settings page).
#[server(output = JsonAnswer)]
pub async fn get_ads_connection() -> Result<Answer, AppError> {
    ssr::json::<utmforge_core::ads::Connection>(ads::connection(&ssr::ctx()?).await)
}

/// The page's data; `ads_campaign`: the ChatGPT Ads campaign whose ad groups to offer.
#[server(output = JsonAnswer)]
pub async fn get_campaign_ads(
    id: String,
    ads_campaign: Option<String>,
) -> Result<Answer, AppError> {
    ssr::json::<utmforge_core::ads::AdsPage>(
        ads::page(
            &ssr::ctx()?,
            &id,
            ads_campaign.as_deref().filter(|c| !c.is_empty()),
        )
        .await,
    )
}

/// Links the campaign to a ChatGPT Ads campaign's ad group.
#[server(output = JsonAnswer)]
pub async fn link_ads_campaign(
    campaign_id: String,
    ads_campaign_id: String,
    ad_group_id: String,
) -> Result<(), AppError> {
    ssr::answer(
        ads::link_campaign(&ssr::ctx()?, &campaign_id, &ads_campaign_id, &ad_group_id).await,
    )
    .map(drop)
}

/// Form fields `ad[creative-CREATIVE_ID]=AD_ID` (empty: no ad). The prefix keeps the form
/// decoder from reading an id that starts with digits as a list index.
#[server(output = JsonAnswer)]
pub async fn link_creative_ads(
    campaign_id: String,
    #[server(default)] ad: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let pairs: Vec<(String, String)> = ad
        .into_iter()
        .map(|(k, v)| (k.strip_prefix("creative-").unwrap_or(&k).to_string(), v))
        .collect();
    ssr::answer(ads::link_ads(&ssr::ctx()?, &campaign_id, &pairs).await).map(drop)
}

/// Creates a paused ad for an unlinked creative: the New ad form, posted as
/// `multipart/form-data` (fields `campaign_id`, `creative_id`, `title`, `body`, `image_url`,
/// and the file `image`; see [`read_new_ad`]).
#[server(input = leptos::server_fn::codec::MultipartFormData, output = JsonAnswer)]
pub async fn create_creative_ad(
    data: leptos::server_fn::codec::MultipartData,
) -> Result<(), AppError> {
    let form = data
        .into_inner()
        .ok_or_else(|| AppError::Internal("the form was not posted".into()))?;
    let (campaign_id, new) = ssr::answer(read_new_ad(form, true).await)?;
    ssr::answer(ads::create_ad(&ssr::ctx()?, &campaign_id.unwrap_or_default(), &new).await)
        .map(drop)
}

/// The fields of a new ad as a `multipart/form-data` body gives them (the New ad form, and
/// `POST /api/v1/campaigns/{id}/ads/create` with a file): `creative_id`, `title`, `body`,
/// `image_url` and the file `image` (an empty file part is no file), and with `campaign_id`
/// (the form's) that too. Each text is at most 8 KiB and the file at most
/// [`MAX_IMAGE_BYTES`](utmforge_core::ads::MAX_IMAGE_BYTES); an unknown field, a second image
/// or both an image and an address are refused naming the field.
#[cfg(feature = "ssr")]
pub async fn read_new_ad(
    mut form: multer::Multipart<'_>,
    campaign_id: bool,
) -> Result<(Option<String>, utmforge_core::ads::NewAd), utmforge_service::Error> {
    use utmforge_core::ads::{CreateAdForm, MAX_IMAGE_BYTES};
    use utmforge_core::{Code, Field, Notice};
    use utmforge_service::{Error, ErrorKind};
    const MAX_TEXT: usize = 8 << 10;
    const MAX_PARTS: usize = 16;
    let malformed = |e: multer::Error| {
        Error::new(
            ErrorKind::Malformed,
            "unreadable-body",
            format!("the form cannot be read: {e}"),
        )
    };
    let refuse = |field: Field, message: String| {
        Error::invalid(vec![Notice::new(Code::NotAllowed, field, message)])
    };
    let mut fields: BTreeMap<String, String> = BTreeMap::new();
    let mut file: Option<Vec<u8>> = None;
    let mut parts = 0;
    while let Some(mut part) = form.next_field().await.map_err(malformed)? {
        parts += 1;
        if parts > MAX_PARTS {
            return Err(refuse(
                Field::Body,
                format!("the form has more than {MAX_PARTS} fields"),
            ));
        }
        let name = part.name().unwrap_or_default().to_string();
        let (field, limit) = match name.as_str() {
            "image" => (Field::Ad, MAX_IMAGE_BYTES),
            "campaign_id" if campaign_id => (Field::Campaign, MAX_TEXT),
            "creative_id" => (Field::Content, MAX_TEXT),
            "title" => (Field::AdTitle, MAX_TEXT),
            "body" => (Field::AdBody, MAX_TEXT),
            "image_url" => (Field::Ad, MAX_TEXT),
            _ => {
                let shown: String = name.chars().take(40).collect();
                return Err(refuse(Field::Body, format!("the form has an unknown field “{shown}”: it takes creative_id, title, body, image_url and the file image")));
            }
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = part.chunk().await.map_err(malformed)? {
            if bytes.len() + chunk.len() > limit {
                return Err(match name.as_str() {
                    "image" => Error::new(
                        ErrorKind::TooLarge,
                        "image-too-large",
                        format!("the image file is over {} MB", MAX_IMAGE_BYTES >> 20),
                    ),
                    _ => refuse(field, format!("{name} is over {} KiB", MAX_TEXT >> 10)),
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        if name == "image" {
            if bytes.is_empty() {
                continue;
            }
            if file.replace(bytes).is_some() {
                return Err(refuse(Field::Ad, "send one image file".into()));
            }
            continue;
        }
        let text = String::from_utf8(bytes)
            .map_err(|_| refuse(field, format!("{name} is not UTF-8 text")))?;
        if fields.insert(name.clone(), text).is_some() {
            return Err(refuse(field, format!("{name} is given twice")));
        }
    }
    let mut take = |name: &str| fields.remove(name).unwrap_or_default();
    let campaign = campaign_id.then(|| take("campaign_id"));
    let form = CreateAdForm {
        creative_id: take("creative_id"),
        title: take("title"),
        body: take("body"),
        image_url: take("image_url"),
        image: file.unwrap_or_default(),
    };
    let new = form
        .into_new_ad()
        .map_err(|notice| Error::invalid(vec![notice]))?;
    Ok((campaign, new))
}

/// Gives every drifted ad its creative's URL.
#[server(output = JsonAnswer)]
pub async fn publish_ads(campaign_id: String) -> Result<(), AppError> {
    ssr::answer(ads::publish(&ssr::ctx()?, &campaign_id, false).await).map(drop)
}

/// Reads the campaign's ads from OpenAI now.
#[server(output = JsonAnswer)]
pub async fn sync_ads(campaign_id: String) -> Result<(), AppError> {
    ssr::answer(ads::sync_campaign(&ssr::ctx()?, &campaign_id).await).map(drop)
}

/// The Results tab's data; `range`: `FROM~TO` (`YYYY-MM-DD` each; absent: the last 30 days).
#[server(output = JsonAnswer)]
pub async fn get_campaign_results(
    id: String,
    range: Option<String>,
    page: usize,
) -> Result<Answer, AppError> {
    let (from, to) = range.as_deref().and_then(|r| r.split_once('~')).unzip();
    ssr::json::<utmforge_core::ads::insights::ResultsPage>(
        utmforge_service::ads_results::page(&ssr::ctx()?, &id, from, to, page).await,
    )
}

/// Pulls the campaign's results from OpenAI now.
#[server(output = JsonAnswer)]
pub async fn pull_ads_results(campaign_id: String) -> Result<(), AppError> {
    ssr::answer(utmforge_service::ads_results::pull(&ssr::ctx()?, &campaign_id).await).map(drop)
}
