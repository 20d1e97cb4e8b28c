//! People and what they may do: roles, the sign-up rules (email, name, password), and the
//! shapes the pages and the API show for users, invitations and API tokens.

use crate::notice::{Code, Field, Notice};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a person (or a token) may do. Each role includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// See campaigns, copy links, export, download GA4 documents, audit URLs.
    Viewer,
    /// And: create, edit, delete, import.
    Editor,
    /// And: people (viewers and editors), other people's tokens, the whole activity log.
    Admin,
    /// And: admins and owners.
    Owner,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Editor, Role::Admin, Role::Owner];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
            Role::Owner => "owner",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Viewer => "Viewer",
            Role::Editor => "Editor",
            Role::Admin => "Admin",
            Role::Owner => "Owner",
        }
    }

    /// What this role adds, for the pages' help text.
    pub fn description(self) -> &'static str {
        match self {
            Role::Viewer => {
                "sees campaigns, copies links, exports, downloads GA4 documents, audits"
            }
            Role::Editor => "also creates, edits, deletes and imports",
            Role::Admin => {
                "also invites people, changes viewers' and editors' roles, revokes tokens"
            }
            Role::Owner => "also manages admins and owners",
        }
    }

    /// Whether someone with this role may give `role` to someone, or change or disable
    /// someone who has `role`: owners manage everyone, admins manage viewers and editors.
    pub fn manages(self, role: Role) -> bool {
        match self {
            Role::Owner => true,
            Role::Admin => role <= Role::Editor,
            _ => false,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = Notice;
    fn from_str(s: &str) -> Result<Role, Notice> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                Notice::new(
                    Code::NotAllowed,
                    Field::Role,
                    format!(
                        "role “{}” is not one of viewer, editor, admin, owner",
                        s.chars().take(40).collect::<String>()
                    ),
                )
            })
    }
}

/// A role is read as [`FromStr`] reads it, wherever it comes from (a form, a command line, JSON):
/// one rule.
impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Role, D::Error> {
        let text = String::deserialize(d)?;
        text.parse()
            .map_err(|n: Notice| serde::de::Error::custom(n.message))
    }
}

/// Shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 12;
/// Longest password accepted (hashing cost is bounded).
pub const MAX_PASSWORD_LEN: usize = 256;
/// Longest email address (RFC 5321's path limit).
pub const MAX_EMAIL_LEN: usize = 254;
/// Longest display name or token name.
pub const MAX_NAME_LEN: usize = 80;

/// Passwords people pick first; refused whatever their length.
const COMMON_PASSWORDS: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "qwertyuiopas",
    "qwerty123456",
    "123456qwerty",
    "password1234",
    "password12345",
    "password123456",
    "passwordpassword",
    "iloveyou1234",
    "letmein12345",
    "welcome12345",
    "administrator",
    "administrator1",
    "changeme1234",
    "aaaaaaaaaaaa",
    "111111111111",
    "000000000000",
    "abcdefghijkl",
    "abc123abc123",
    "monkey123456",
    "football1234",
    "baseball1234",
    "superman1234",
    "trustno1trustno1",
    "qwertyqwerty",
    "1q2w3e4r5t6y",
    "zaq12wsxcde3",
    "chatgptchatgpt",
    "utmforgeutmforge",
    "utmforge1234",
];

/// A new account's details, as typed into the setup or invitation form (or the CLI).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignUp {
    pub email: String,
    pub name: String,
    pub password: String,
}

/// A sign-up that passed every rule: the email lowercased, the name trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSignUp {
    pub email: String,
    pub name: String,
    pub password: String,
}

/// An email address as stored and compared: trimmed and lowercased.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Checks an email address: one `@`, something on each side, a dot in the domain, no spaces.
pub fn check_email(email: &str) -> Result<String, Notice> {
    let email = normalize_email(email);
    let bad = |message: &str| Err(Notice::new(Code::Required, Field::Email, message));
    if email.is_empty() {
        return bad("enter an email address");
    }
    if email.len() > MAX_EMAIL_LEN {
        return Err(Notice::new(
            Code::TooLong,
            Field::Email,
            format!("an email address has at most {MAX_EMAIL_LEN} characters"),
        ));
    }
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if !valid {
        return Err(Notice::new(
            Code::NotAllowed,
            Field::Email,
            "this is not an email address (name@example.com)",
        ));
    }
    Ok(email)
}

/// Checks a new password: at least [`MIN_PASSWORD_LEN`] characters, not a common one, not
/// the email address.
pub fn check_password(password: &str, email: &str) -> Result<(), Notice> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_LEN {
        return Err(Notice::new(
            Code::WeakPassword,
            Field::Password,
            format!("a password needs at least {MIN_PASSWORD_LEN} characters (this one has {chars}); a few unrelated words work well"),
        ));
    }
    if password.len() > MAX_PASSWORD_LEN {
        return Err(Notice::new(
            Code::TooLong,
            Field::Password,
            format!("a password has at most {MAX_PASSWORD_LEN} bytes"),
        ));
    }
    let lower = password.to_lowercase();
    let one_char = lower.chars().all(|c| lower.starts_with(c));
    if one_char
        || COMMON_PASSWORDS.contains(&lower.as_str())
        || (!email.is_empty() && lower.contains(&normalize_email(email)))
    {
        return Err(Notice::new(
            Code::WeakPassword,
            Field::Password,
            "this password is too easy to guess: choose another (a few unrelated words work well)",
        ));
    }
    Ok(())
}

/// Checks a display name or a token name: required, at most [`MAX_NAME_LEN`] characters.
pub fn check_name(name: &str, what: &str) -> Result<String, Notice> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Notice::new(
            Code::Required,
            Field::Name,
            format!("enter {what}"),
        ));
    }
    if name.chars().count() > MAX_NAME_LEN || name.chars().any(char::is_control) {
        return Err(Notice::new(
            Code::TooLong,
            Field::Name,
            format!("{what} has at most {MAX_NAME_LEN} characters, on one line"),
        ));
    }
    Ok(name.to_string())
}

impl SignUp {
    /// Every broken rule, each naming its field.
    pub fn validate(&self) -> Result<ValidSignUp, Vec<Notice>> {
        let mut errors = Vec::new();
        let email = check_email(&self.email).map_err(|n| errors.push(n)).ok();
        let name = check_name(&self.name, "your name")
            .map_err(|n| errors.push(n))
            .ok();
        if let Err(n) = check_password(&self.password, &self.email) {
            errors.push(n);
        }
        match (email, name) {
            (Some(email), Some(name)) if errors.is_empty() => Ok(ValidSignUp {
                email,
                name,
                password: self.password.clone(),
            }),
            _ => Err(errors),
        }
    }
}

/// A person, as the pages and the API show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// When they were disabled (Unix ms); absent while they may sign in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled_at: Option<i64>,
    pub created_at: i64,
    /// Browser sessions that signed in before this time (Unix ms) have ended (a new password).
    #[serde(skip, default)]
    pub sessions_after: i64,
}

/// An API token as listed (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiToken {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub role: Role,
    pub created_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<i64>,
}

/// A token just created: the only time its secret is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiToken {
    pub token: ApiToken,
    pub secret: String,
}

/// An invitation as listed by the people page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub id: String,
    pub role: Role,
    pub invited_by: String,
    pub created_at: i64,
    pub expires_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_at: Option<i64>,
}

/// An invitation just created: the only time its link is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewInvitation {
    pub invitation: Invitation,
    /// The path with the secret, e.g. `/invite?token=…` (the page adds its origin).
    pub path: String,
}

/// Who is signed in, for the pages: enough to hide what the role cannot do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
}

impl Me {
    pub fn can(&self, role: Role) -> bool {
        self.role >= role
    }
}

/// Everyone, open invitations, and every token: what the People page shows (admins).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct People {
    pub users: Vec<User>,
    pub invitations: Vec<Invitation>,
    pub tokens: Vec<ApiToken>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_and_admins_manage_only_below_admin() {
        assert!(
            Role::Viewer < Role::Editor && Role::Editor < Role::Admin && Role::Admin < Role::Owner
        );
        assert!(Role::Admin.manages(Role::Editor));
        assert!(!Role::Admin.manages(Role::Admin));
        assert!(Role::Owner.manages(Role::Owner));
        assert!(!Role::Editor.manages(Role::Viewer));
        assert_eq!("Editor".parse::<Role>().unwrap(), Role::Editor);
        assert_eq!("root".parse::<Role>().unwrap_err().field, Field::Role);
    }

    #[test]
    fn short_common_and_email_passwords_are_refused() {
        let weak = |p: &str| check_password(p, "dana@example.com").is_err();
        assert!(weak("short"));
        assert!(weak("password1234"));
        assert!(weak("PASSWORD1234"));
        assert!(weak("zzzzzzzzzzzzzzzz"));
        assert!(weak("dana@example.com!"));
        assert!(!weak("correct horse battery"));
    }

    #[test]
    fn a_sign_up_names_every_broken_field() {
        let errors = SignUp {
            email: "not-an-email".into(),
            name: " ".into(),
            password: "short".into(),
        }
        .validate()
        .unwrap_err();
        let fields: Vec<Field> = errors.iter().map(|n| n.field).collect();
        assert_eq!(fields, vec![Field::Email, Field::Name, Field::Password]);
        let ok = SignUp {
            email: " Dana@Example.COM ".into(),
            name: "Dana".into(),
            password: "correct horse battery".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(ok.email, "dana@example.com");
    }
}
