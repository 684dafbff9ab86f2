//! Where each output file goes: every path the site writes is made here, so `build`, `serve` and the
//! collision check in `validate` (which claims each path once) cannot disagree about them.

/// The files every site has besides its content pages, section indexes, code tables and redirects.
/// `build` and `serve` write them under these paths, and `validate` reserves them, so content can never
/// be written over one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fixed {
    Home,
    Check,
    NotFound,
    CodesOverview,
    CodesJson,
    Sitemap,
    Robots,
    Feed,
}

impl Fixed {
    pub(crate) const ALL: [Fixed; 8] = [
        Fixed::Home,
        Fixed::Check,
        Fixed::NotFound,
        Fixed::CodesOverview,
        Fixed::CodesJson,
        Fixed::Sitemap,
        Fixed::Robots,
        Fixed::Feed,
    ];

    /// The output path, relative to the output folder.
    pub(crate) const fn path(self) -> &'static str {
        match self {
            Fixed::Home => "index.html",
            Fixed::Check => "check/index.html",
            Fixed::NotFound => "404.html",
            Fixed::CodesOverview => "codes/index.html",
            Fixed::CodesJson => "codes.json",
            Fixed::Sitemap => "sitemap.xml",
            Fixed::Robots => "robots.txt",
            Fixed::Feed => "atom.xml",
        }
    }

    /// What it is, for a diagnostic that says what a page or alias collides with.
    pub(crate) fn what(self) -> &'static str {
        match self {
            Fixed::Home => "the home page",
            Fixed::Check => "the checker page",
            Fixed::NotFound => "the 404 page",
            Fixed::CodesOverview => "the code tables' overview",
            Fixed::CodesJson => "codes.json",
            Fixed::Sitemap => "the sitemap",
            Fixed::Robots => "robots.txt",
            Fixed::Feed => "the Atom feed",
        }
    }
}

/// The folder of the theme's hashed assets and of the search and knowledge indexes (their names are
/// hashes, so the whole folder is reserved rather than each name).
pub(crate) const ASSETS_DIR: &str = "assets";

/// `errors/0x904/index.html` for the page at `/errors/0x904/`.
pub(crate) fn page(section: &str, slug: &str) -> String {
    format!("{section}/{slug}/index.html")
}

/// Page `k` (from 1) of a section's index: page 1 is the section's own URL, page k >= 2 is
/// `<section>/page/k/` (a content page whose slug is `page` would collide; `validate` reports it).
/// `<section>/page/1/` is not written: there is one URL per list page.
pub(crate) fn section(name: &str, k: usize) -> String {
    format!("{}index.html", section_url(name, k).trim_start_matches('/'))
}

/// The site-relative URL of page `k` of a section's index (`/errors/`, `/errors/page/2/`).
pub(crate) fn section_url(name: &str, k: usize) -> String {
    paged(&format!("/{name}/"), k)
}

/// How many index pages a section of `count` pages has (at least one, even when empty).
pub(crate) fn page_count(count: usize, per_page: usize) -> usize {
    count.div_ceil(per_page.max(1)).max(1)
}

/// Rows per code-table page: a table longer than this is split over `codes/<scheme>/page/k/`.
pub(crate) const CODE_TABLE_ROWS: usize = 500;

/// Page `k` (from 1) of a code table's page, like a section's ([`section`]).
pub(crate) fn code_table(scheme: &str, k: usize) -> String {
    format!(
        "{}index.html",
        code_table_url(scheme, k).trim_start_matches('/')
    )
}

/// The site-relative URL of page `k` of a code table (`/codes/disconnect/`, `/codes/event/page/2/`).
pub(crate) fn code_table_url(scheme: &str, k: usize) -> String {
    paged(&format!("/codes/{scheme}/"), k)
}

/// The page (from 1) of a code table that holds the row at `position` of its rows as written.
pub(crate) fn code_table_page_of(position: usize) -> usize {
    position / CODE_TABLE_ROWS + 1
}

/// The site-relative URL of a code's row, with its anchor, on the page of the table that holds it. Every
/// link to a row (error pages, the knowledge index and `codes.json`, search, link checks) is made here,
/// so none points at a page the row is not on. A value the table does not have links its first page.
pub(crate) fn code_row_url(model: &crate::model::Model, scheme: &str, value: &str) -> String {
    let k = code_row_page(model, scheme, value);
    format!("{}#{value}", code_table_url(scheme, k))
}

/// The page (from 1) of table `scheme` that holds the row of canonical `value` (1 for an unknown value).
pub(crate) fn code_row_page(model: &crate::model::Model, scheme: &str, value: &str) -> usize {
    model
        .rows
        .get(scheme)
        .and_then(|rows| rows.get(value))
        .map_or(1, |&n| code_table_page_of(n))
}

fn paged(first: &str, k: usize) -> String {
    if k <= 1 {
        first.to_string()
    } else {
        format!("{first}page/{k}/")
    }
}

/// Where the redirect page of an alias (an old URL, root-relative) is written, or what is wrong with it:
/// an alias must be a root-relative path of safe segments, so it can neither leave the output folder nor
/// name a file that a server would read differently from how it is written (`?`, `#`, `%`, spaces).
pub(crate) fn alias(alias: &str) -> Result<String, String> {
    let Some(rest) = alias.strip_prefix('/') else {
        return Err(
            "does not start with `/` (an alias is a root-relative URL such as `/old/page/`)".into(),
        );
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.is_empty() {
        return Err("is the site's root, which is the home page".into());
    }
    for seg in rest.split('/') {
        if seg.is_empty() {
            return Err("has an empty segment (`//`)".into());
        }
        if seg == "." || seg == ".." {
            return Err(format!(
                "has the segment `{seg}`, which would leave its folder"
            ));
        }
        if seg.starts_with('.') {
            return Err(format!("has the hidden segment `{seg}`"));
        }
        if let Some(c) = seg
            .chars()
            .find(|&c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~')))
        {
            let shown = if c.is_control() || c == ' ' {
                format!("{:?}", c)
            } else {
                format!("`{c}`")
            };
            return Err(format!(
                "has {shown} in the segment `{}`; use letters, digits, `-`, `_`, `.` and `~`",
                seg.escape_debug()
            ));
        }
    }
    Ok(format!("{rest}/index.html"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_safe_root_relative_paths() {
        assert_eq!(alias("/old/url/").as_deref(), Ok("old/url/index.html"));
        assert_eq!(alias("/old.html").as_deref(), Ok("old.html/index.html"));
        for bad in [
            "old/url/", "/", "//x/", "/a/../b/", "/./a/", "/.git/", "/a b/", "/a?b", "/a#b",
            "/a\\b/", "/a\nb/", "/a%20b/",
        ] {
            assert!(alias(bad).is_err(), "{bad:?} accepted");
        }
        assert!(alias("/a b/").is_err_and(|e| e.contains("' '")));
        assert!(alias("/x/../y/").is_err_and(|e| e.contains("`..`")));
    }

    #[test]
    fn list_pages_after_the_first_are_under_page() {
        assert_eq!(section("errors", 1), "errors/index.html");
        assert_eq!(section("errors", 3), "errors/page/3/index.html");
        assert_eq!(section_url("errors", 2), "/errors/page/2/");
        assert_eq!(code_table("event", 1), "codes/event/index.html");
        assert_eq!(code_table("event", 2), "codes/event/page/2/index.html");
        assert_eq!(page_count(0, 100), 1);
        assert_eq!(page_count(100, 100), 1);
        assert_eq!(page_count(101, 100), 2);
        assert_eq!(code_table_page_of(0), 1);
        assert_eq!(code_table_page_of(CODE_TABLE_ROWS - 1), 1);
        assert_eq!(code_table_page_of(CODE_TABLE_ROWS), 2);
    }
}
