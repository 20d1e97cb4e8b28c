//! The fixed source and the buying model that gives `utm_medium`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// `utm_source` of every ad link utmforge produces. Organic ChatGPT citations arrive as
/// `chatgpt.com`; ads stay `chatgpt` so the two never mix in GA4.
pub const UTM_SOURCE: &str = "chatgpt";

/// How a campaign is bought in ChatGPT's Ads Manager. It decides `utm_medium`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum BuyingModel {
    /// Cost per click: `utm_medium=cpc`.
    #[default]
    Cpc,
    /// Cost per thousand impressions: `utm_medium=cpm`.
    Cpm,
}

impl BuyingModel {
    /// Every buying model, in the order a form offers them.
    pub const ALL: [BuyingModel; 2] = [BuyingModel::Cpc, BuyingModel::Cpm];

    /// The value of `utm_medium` for this buying model.
    pub fn utm_medium(self) -> &'static str {
        match self {
            BuyingModel::Cpc => "cpc",
            BuyingModel::Cpm => "cpm",
        }
    }

    /// A short human label, e.g. for a form control.
    pub fn label(self) -> &'static str {
        match self {
            BuyingModel::Cpc => "CPC — cost per click",
            BuyingModel::Cpm => "CPM — cost per 1,000 impressions",
        }
    }
}

impl fmt::Display for BuyingModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.utm_medium())
    }
}

/// The input named a buying model that is neither CPC nor CPM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownBuyingModel(pub String);

impl fmt::Display for UnknownBuyingModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "medium must be cpc or cpm, not {:?}", self.0)
    }
}

impl std::error::Error for UnknownBuyingModel {}

impl FromStr for BuyingModel {
    type Err = UnknownBuyingModel;

    /// Case-insensitive and tolerant of surrounding spaces: `CPC`, ` cpm ` are accepted.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        BuyingModel::ALL
            .into_iter()
            .find(|m| m.utm_medium().eq_ignore_ascii_case(trimmed))
            .ok_or_else(|| UnknownBuyingModel(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medium_follows_the_buying_model() {
        assert_eq!(BuyingModel::Cpc.utm_medium(), "cpc");
        assert_eq!(BuyingModel::Cpm.utm_medium(), "cpm");
    }

    #[test]
    fn parsing_ignores_case_and_spaces() {
        assert_eq!("CPC".parse(), Ok(BuyingModel::Cpc));
        assert_eq!(" cpm ".parse(), Ok(BuyingModel::Cpm));
    }

    #[test]
    fn anything_else_is_refused_with_the_value_named() {
        let err = "cpa".parse::<BuyingModel>().unwrap_err();
        assert_eq!(err.to_string(), "medium must be cpc or cpm, not \"cpa\"");
        assert!("".parse::<BuyingModel>().is_err());
        assert!("organic".parse::<BuyingModel>().is_err());
    }

    #[test]
    fn source_is_the_ads_value_not_the_organic_one() {
        assert_eq!(UTM_SOURCE, "chatgpt");
    }
}
