//! `utmforge ads status` and `utmforge ads publish`: the same use cases as the campaign's
//! ChatGPT Ads page, with the key from `--ads-api-key-file` or `OPENAI_ADS_API_KEY`.

use crate::cli::AdsCommand;
use std::io::{self, Write};
use utmforge_core::ads::{is_rejected, AdRow, AdSync, PublishPlan};
use utmforge_service::ads;

pub fn run_ads(command: AdsCommand, out: &mut impl Write, err: &mut impl Write) -> io::Result<u8> {
    let (args, database_url) = match &command {
        AdsCommand::Status { ads, db, .. } | AdsCommand::Publish { ads, db, .. } => {
            (ads.clone(), db.database_url.clone())
        }
    };
    let client = match args.client() {
        Ok(Some(client)) => client,
        Ok(None) => {
            writeln!(
                err,
                "error: no Advertiser API key: set {} (or --ads-api-key-file) to a key from Ads Manager › Settings",
                crate::cli::ADS_KEY_ENV
            )?;
            return Ok(super::EXIT_INVALID);
        }
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(super::EXIT_INVALID);
        }
    };
    super::on_database(&database_url, Some(client), out, err, |ctx| async move {
        match command {
            AdsCommand::Status { campaign, .. } => {
                let campaigns = ads::status(&ctx, campaign.as_deref()).await?;
                Ok(status_text(&campaigns))
            }
            AdsCommand::Publish {
                campaign, dry_run, ..
            } => {
                let found = ctx.campaign_named(&campaign).await?;
                let plan = ads::publish(&ctx, &found.id, dry_run).await?;
                Ok(publish_text(&plan))
            }
        }
    })
}

/// One line per linked creative; exit 1 when an ad drifted or was rejected.
fn status_text(campaigns: &[(String, Vec<AdRow>)]) -> (String, u8) {
    let mut text = String::new();
    let mut trouble = false;
    for (slug, rows) in campaigns {
        text.push_str(&format!("{slug}\n"));
        if rows.is_empty() {
            text.push_str("  no creative is linked to an ad\n");
        }
        for row in rows {
            let Some(ad) = &row.ad else { continue };
            let rejected = is_rejected(ad.review_status.as_deref());
            trouble |= rejected || row.sync == AdSync::Drifted;
            text.push_str(&format!(
                "  {}\t{}\t{} ({})\tstatus {}\treview {}",
                row.variant,
                row.sync.label(),
                ad.ad_name,
                ad.ad_id,
                ad.status.as_deref().unwrap_or("?"),
                ad.review_status.as_deref().unwrap_or("?"),
            ));
            if row.sync == AdSync::Drifted {
                text.push_str(&format!(
                    "\n    ad carries {}\n    utmforge has {}",
                    ad.target_url.as_deref().unwrap_or("?"),
                    row.url.as_deref().unwrap_or("?")
                ));
            }
            for issue in &ad.serving_issues {
                text.push_str(&format!("\n    serving issue: {issue}"));
            }
            if let Some(e) = &ad.sync_error {
                text.push_str(&format!("\n    could not be read: {e}"));
            }
            text.push('\n');
        }
    }
    let code = if trouble {
        super::EXIT_FINDINGS
    } else {
        super::EXIT_OK
    };
    (text, code)
}

/// What a publish did (or would do); exit 1 when an ad could not be changed.
fn publish_text(plan: &PublishPlan) -> (String, u8) {
    let mut text = String::new();
    let mut failed = false;
    for change in &plan.changes {
        text.push_str(&format!(
            "{}\t{} ({})\n  {} →\n  {}\n",
            change.variant,
            change.ad_name,
            change.ad_id,
            change.before.as_deref().unwrap_or("(no URL)"),
            change.after
        ));
        if let Some(outcome) = &change.outcome {
            text.push_str(&format!("  {outcome}\n"));
        }
        failed |= !plan.dry_run && !change.done;
    }
    for skipped in &plan.skipped {
        text.push_str(&format!("skipped: {skipped}\n"));
    }
    if !plan.bulk_jobs.is_empty() {
        text.push_str(&format!(
            "as OpenAI bulk mutation jobs: {}\n",
            plan.bulk_jobs.join(", ")
        ));
    }
    text.push_str(&match (plan.dry_run, plan.changes.len()) {
        (_, 0) => format!("nothing to publish: {} linked ads in sync\n", plan.in_sync),
        (true, n) => format!(
            "{n} ads would change (each goes back to OpenAI's review); {} in sync. Run without --dry-run to publish.\n",
            plan.in_sync
        ),
        (false, n) => format!(
            "{} of {n} ads changed (each goes back to OpenAI's review); {} in sync\n",
            plan.changes.iter().filter(|c| c.done).count(),
            plan.in_sync
        ),
    });
    let code = if failed || !plan.skipped.is_empty() {
        super::EXIT_FINDINGS
    } else {
        super::EXIT_OK
    };
    (text, code)
}
