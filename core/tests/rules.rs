//! The team's rules as tables: domain patterns (wildcards, IDN, case), which hosts they approve,
//! topic aliases and case, and each setting mode, through campaign and creative validation.

use utmforge_core::campaign::{utm_id_of, workspace_link_refusal, UTM_ID_LEN};
use utmforge_core::rules::{domain_pattern, RuleMode, TeamRules, Topic};
use utmforge_core::{Campaign, CampaignDraft, Code, CreativeDraft, Field};

fn rules(domains: &[&str], domain_mode: RuleMode, topic_mode: RuleMode) -> TeamRules {
    TeamRules {
        approved_domains: domains.iter().map(|d| d.to_string()).collect(),
        domain_mode,
        topics: vec![
            Topic {
                topic: "CRM tools".into(),
                aliases: vec![
                    "CRM software".into(),
                    "crm tools".into(),
                    "Sales CRM".into(),
                ],
            },
            Topic {
                topic: "project-management".into(),
                aliases: vec![],
            },
        ],
        topic_mode,
        utm_id: false,
    }
    .validated()
    .unwrap()
}

#[test]
fn domain_patterns_are_stored_in_ascii_lower_case() {
    for (input, stored) in [
        ("example.com", "example.com"),
        ("  Example.COM. ", "example.com"),
        ("*.Example.com", "*.example.com"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("*.BÜCHER.example", "*.xn--bcher-kva.example"),
    ] {
        assert_eq!(domain_pattern(input).as_deref(), Ok(stored), "{input}");
    }
    for (input, why) in [
        ("https://example.com", "without https://"),
        ("example.com/path", "without https://"),
        ("127.0.0.1", "IP address"),
        ("localhost", "needs a dot"),
        ("*.", "not a domain"),
        ("*..", "not a domain"),
        ("ex ample.com", "not a domain"),
        ("a.*.example.com", "not a domain"),
    ] {
        let e = domain_pattern(input).unwrap_err();
        assert!(e.contains(why), "{input}: {e}");
    }
}

#[test]
fn wildcards_approve_subdomains_only_and_exact_names_only_themselves() {
    let r = rules(
        &["example.com", "*.shop.example.net", "bücher.example"],
        RuleMode::Refuse,
        RuleMode::Refuse,
    );
    for (host, approved) in [
        ("example.com", true),
        ("EXAMPLE.com.", true),
        ("www.example.com", false),
        ("badexample.com", false),
        ("example.com.evil.net", false),
        ("shop.example.net", false),
        ("eu.shop.example.net", true),
        ("a.b.shop.example.net", true),
        ("evilshop.example.net", false),
        ("xn--bcher-kva.example", true),
    ] {
        assert_eq!(r.domain_approved(host), approved, "{host}");
    }
    assert!(
        TeamRules::default().domain_approved("anything.test"),
        "no list: any domain"
    );
}

fn campaign_draft(url: &str, topic: &str) -> CampaignDraft {
    CampaignDraft {
        name: "Spring Sale".into(),
        buying_model: "cpc".into(),
        landing_url: url.into(),
        topic: topic.into(),
        conversion: "order_created".into(),
        ..CampaignDraft::default()
    }
}

fn codes(notices: &[utmforge_core::Notice]) -> Vec<(Code, Field)> {
    notices.iter().map(|n| (n.code, n.field)).collect()
}

#[test]
fn a_foreign_domain_is_refused_or_warned_per_the_setting() {
    let draft = campaign_draft("https://bücher.example/deals", "");
    let refuse = rules(
        &["example.com", "*.example.com"],
        RuleMode::Refuse,
        RuleMode::Refuse,
    );
    let e = draft.validate_with(&refuse).unwrap_err();
    assert_eq!(codes(&e), [(Code::DomainNotApproved, Field::Url)]);
    assert!(e[0].message.contains("xn--bcher-kva.example is not one of the team's approved landing domains (example.com, *.example.com)"), "{}", e[0].message);

    let warn = rules(&["example.com"], RuleMode::Warn, RuleMode::Refuse);
    let ok = draft.validate_with(&warn).unwrap();
    assert_eq!(codes(&ok.warnings), [(Code::DomainNotApproved, Field::Url)]);

    // Approved (IDN typed either way), or no list: no notice.
    let idn = rules(&["bücher.example"], RuleMode::Refuse, RuleMode::Refuse);
    assert!(draft.validate_with(&idn).unwrap().warnings.is_empty());
    assert!(draft.validate().unwrap().warnings.is_empty());
}

#[test]
fn topics_resolve_aliases_and_case_and_outsiders_follow_the_mode() {
    let r = rules(&[], RuleMode::Refuse, RuleMode::Refuse);
    assert_eq!(
        r.topics[0],
        Topic {
            topic: "crm-tools".into(),
            aliases: vec!["crm-software".into(), "sales-crm".into()]
        }
    );
    assert_eq!(
        r.suggestions(),
        [
            "crm-tools",
            "project-management",
            "crm-software",
            "sales-crm"
        ]
    );

    for typed in ["crm-tools", "CRM Tools", "crm tools"] {
        let ok = campaign_draft("https://example.com/", typed)
            .validate_with(&r)
            .unwrap();
        assert_eq!(ok.topic.as_deref(), Some("crm-tools"));
        assert!(ok.warnings.is_empty(), "{typed}");
    }
    let alias = campaign_draft("https://example.com/", "CRM Software")
        .validate_with(&r)
        .unwrap();
    assert_eq!(alias.topic.as_deref(), Some("crm-tools"));
    assert_eq!(codes(&alias.warnings), [(Code::TopicAlias, Field::Term)]);

    let outsider = campaign_draft("https://example.com/", "Email marketing");
    let e = outsider.validate_with(&r).unwrap_err();
    assert_eq!(codes(&e), [(Code::UnknownTopic, Field::Term)]);
    assert!(
        e[0].message.contains("(crm-tools, project-management)"),
        "{}",
        e[0].message
    );
    let warn = rules(&[], RuleMode::Refuse, RuleMode::Warn);
    let ok = outsider.validate_with(&warn).unwrap();
    assert_eq!(
        (ok.topic.as_deref(), codes(&ok.warnings)),
        (
            Some("email-marketing"),
            vec![(Code::UnknownTopic, Field::Term)]
        )
    );
    let accept = rules(&[], RuleMode::Refuse, RuleMode::Accept);
    let ok = outsider.validate_with(&accept).unwrap();
    assert_eq!(
        (ok.topic.as_deref(), ok.warnings.len()),
        (Some("email-marketing"), 0)
    );
}

#[test]
fn a_creative_gets_the_topic_an_alias_stands_for_in_its_url() {
    let r = rules(&["example.com"], RuleMode::Refuse, RuleMode::Refuse);
    let campaign = campaign_draft("https://example.com/spring", "crm-tools")
        .validate_with(&r)
        .unwrap()
        .saved_over(&Campaign::stub("c1"));
    let creative = CreativeDraft {
        variant: "Hero".into(),
        topic: "sales crm".into(),
        ..CreativeDraft::default()
    };
    let ok = creative.validate_with(&campaign, &r).unwrap();
    assert!(
        ok.tagged.url.contains("utm_term=crm-tools"),
        "{}",
        ok.tagged.url
    );
    assert_eq!(
        codes(&ok.tagged.warnings),
        [(Code::TopicAlias, Field::Term)]
    );

    let foreign = CreativeDraft {
        variant: "Hero".into(),
        landing_url: "https://evil.test/x".into(),
        ..CreativeDraft::default()
    };
    assert_eq!(
        codes(&foreign.validate_with(&campaign, &r).unwrap_err()),
        [(Code::DomainNotApproved, Field::Url)]
    );
}

#[test]
fn rules_an_admin_types_are_checked_whole() {
    let bad = TeamRules {
        approved_domains: vec![
            "https://example.com".into(),
            "ok.example".into(),
            "OK.example".into(),
        ],
        domain_mode: RuleMode::Accept,
        topics: vec![
            Topic {
                topic: "CRM".into(),
                aliases: vec!["customer relationship".into()],
            },
            Topic {
                topic: "Sales".into(),
                aliases: vec!["crm".into()],
            },
            Topic {
                topic: "".into(),
                aliases: vec!["orphan".into()],
            },
            Topic {
                topic: "!!!".into(),
                aliases: vec![],
            },
        ],
        topic_mode: RuleMode::Refuse,
        utm_id: false,
    };
    let e = bad.validated().unwrap_err();
    assert_eq!(
        codes(&e),
        [
            (Code::InvalidDomain, Field::Domains),
            (Code::NotAllowed, Field::DomainMode),
            (Code::Duplicate, Field::Topics),
            (Code::Required, Field::Topics),
            (Code::EmptyValue, Field::Topics),
        ]
    );
    let many = TeamRules {
        approved_domains: (0..201).map(|i| format!("d{i}.example")).collect(),
        ..TeamRules::default()
    };
    assert_eq!(
        codes(&many.validated().unwrap_err())[0],
        (Code::TooMany, Field::Domains)
    );
    // Duplicates collapse; the stored form is what validated() answers.
    let ok = TeamRules {
        approved_domains: vec!["A.example".into(), "a.example".into(), " ".into()],
        ..TeamRules::default()
    }
    .validated()
    .unwrap();
    assert_eq!(ok.approved_domains, ["a.example"]);
    assert_eq!(
        ok.validated().unwrap(),
        ok,
        "validating twice changes nothing"
    );
}

#[test]
fn the_settings_form_text_round_trips() {
    let r = TeamRules::from_text(
        "example.com\n*.example.com, shop.example.net  \n\n",
        "warn",
        "CRM tools: CRM software, Sales CRM\n\nProject management\n",
        "Accept",
        true,
    )
    .unwrap()
    .validated()
    .unwrap();
    assert_eq!(
        r.approved_domains,
        ["example.com", "*.example.com", "shop.example.net"]
    );
    assert_eq!(
        (r.domain_mode, r.topic_mode, r.utm_id),
        (RuleMode::Warn, RuleMode::Accept, true)
    );
    assert_eq!(
        r.topics_text(),
        "crm-tools: crm-software, sales-crm\nproject-management"
    );
    let again = TeamRules::from_text(&r.domains_text(), "warn", &r.topics_text(), "accept", true)
        .unwrap()
        .validated()
        .unwrap();
    assert_eq!(again, r);
    let e = TeamRules::from_text("", "maybe", "", "never", false).unwrap_err();
    assert_eq!(
        codes(&e),
        [
            (Code::NotAllowed, Field::DomainMode),
            (Code::NotAllowed, Field::TopicMode)
        ]
    );
}

fn campaign_with_id(id: &str, name: &str) -> Campaign {
    CampaignDraft {
        name: name.into(),
        ..campaign_draft("https://example.com/spring", "crm-tools")
    }
    .validate()
    .unwrap()
    .saved_over(&Campaign::stub(id))
}

#[test]
fn utm_id_is_the_campaigns_stable_short_id_when_the_team_turns_it_on() {
    let id = "0193a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a1b";
    let short = utm_id_of(id);
    assert_eq!(short.len(), UTM_ID_LEN);
    assert!(
        short
            .chars()
            .all(|c| c.is_ascii_digit() || (c.is_ascii_lowercase() && !"ilou".contains(c))),
        "{short}"
    );
    assert_eq!(
        utm_id_of(id),
        short,
        "the same id always gives the same utm_id"
    );
    // Ids a millisecond apart (UUIDv7 share their first digits) give unrelated utm_ids.
    let ids: std::collections::HashSet<String> = (0..10_000)
        .map(|i| utm_id_of(&format!("0193a1b2-7c3d-7e4f-8a5b-{i:012x}")))
        .collect();
    assert_eq!(
        ids.len(),
        10_000,
        "no two of 10,000 neighbouring ids collide"
    );

    let creative = CreativeDraft {
        variant: "Hero".into(),
        ..CreativeDraft::default()
    };
    let off = TeamRules::default();
    let on = TeamRules {
        utm_id: true,
        ..TeamRules::default()
    };
    let spring = campaign_with_id(id, "Spring Sale");
    let plain = creative.validate_with(&spring, &off).unwrap().tagged.url;
    assert!(!plain.contains("utm_id"), "{plain}");
    let tagged = creative.validate_with(&spring, &on).unwrap().tagged.url;
    assert_eq!(
        tagged,
        format!("https://example.com/spring?utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring-sale&utm_content=hero&utm_term=crm-tools&utm_id={short}")
    );
    // Renamed (a new slug): utm_campaign changes, utm_id does not.
    let renamed = campaign_with_id(id, "Spring Sale EU");
    let after = creative.validate_with(&renamed, &on).unwrap().tagged.url;
    assert!(after.contains("utm_campaign=spring-sale-eu"), "{after}");
    assert!(after.ends_with(&format!("&utm_id={short}")), "{after}");
    assert_ne!(utm_id_of("another-campaign"), short);
}

#[test]
fn switching_utm_id_on_asks_for_the_confirmation_listing_live_links() {
    let changes = vec![
        (
            "spring-sale / hero".to_string(),
            Some("https://example.com/?utm_campaign=spring-sale".to_string()),
            Some("https://example.com/?utm_campaign=spring-sale&utm_id=x".to_string()),
        ),
        (
            "spring-sale / same".to_string(),
            Some("https://example.com/a".to_string()),
            Some("https://example.com/a".to_string()),
        ),
    ];
    let refusal = workspace_link_refusal(&changes, false).unwrap();
    assert_eq!(
        refusal.len(),
        2,
        "the summary and the one link that changes"
    );
    assert!(refusal.iter().all(|n| n.code == Code::LiveLinkChange));
    assert!(
        refusal[0]
            .message
            .starts_with("Campaigns are active: this change alters 1 live link "),
        "{}",
        refusal[0].message
    );
    assert!(refusal[1].message.starts_with("spring-sale / hero: "));
    assert!(workspace_link_refusal(&changes, true).is_none());
    assert!(workspace_link_refusal(&changes[1..], false).is_none());
}
