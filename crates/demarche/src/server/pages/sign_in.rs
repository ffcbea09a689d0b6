//! The sign-in page of a private instance.

use maud::{html, Markup};

use super::page;

/// The sign-in form, its CSRF token `csrf` (doubled in a cookie), and what
/// went wrong the last time, if anything.
pub fn sign_in(csrf: &str, problem: Option<&str>) -> Markup {
    page(
        "Sign in",
        "",
        html! {
            h1 { "Sign in" }
            p.meta { "This archive is private to its newsroom." }
            @if let Some(problem) = problem {
                div.error role="alert" { (problem) }
            }
            form.signin method="post" action="/login" {
                input type="hidden" name="csrf" value=(csrf);
                p { label { "Account " input type="text" name="user" autocomplete="username" required maxlength="64"; } }
                p { label { "Password " input type="password" name="password" autocomplete="current-password" required; } }
                p { button type="submit" { "Sign in" } }
            }
        },
    )
}
