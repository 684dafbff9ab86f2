//! Stylesheets are written without their comments and without the spaces that mean nothing, so the theme's
//! CSS can explain itself in its source while a page's first load stays small (the design keeps an error
//! page's first load under 60 KB, and the stylesheet is part of it).
//!
//! Deliberately conservative, so it cannot change what a rule means: comments go; a run of white space
//! becomes one space, or none next to `{ } ; , >` and after `:` (where CSS never needs it: a space after a
//! colon is only ever in a declaration or a media feature); a `;` right before `}` goes. Strings and
//! escapes are copied as written. Spaces before `:` and around `+`, `-`, `(` and `)` are kept: they matter
//! in selectors (`a :hover`), in `calc()` and in media queries (`and (`). A full minifier
//! (lightningcss) would save a little more and bring a large dependency.

/// `src` minified as described in the module's comment.
pub(crate) fn minify_css(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut space = false;
    let mut chars = src.chars().peekable();
    let tight = |c: char| matches!(c, '{' | '}' | ';' | ',' | '>');
    while let Some(c) = chars.next() {
        if c == '/' && chars.peek() == Some(&'*') {
            chars.next();
            let mut last = ' ';
            for d in chars.by_ref() {
                if last == '*' && d == '/' {
                    break;
                }
                last = d;
            }
            space = true;
            continue;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() && !out.ends_with(tight) && !out.ends_with(':') && !tight(c) {
            out.push(' ');
        }
        space = false;
        if c == '}' && out.ends_with(';') {
            out.pop();
        }
        out.push(c);
        match c {
            '\\' => {
                if let Some(d) = chars.next() {
                    out.push(d);
                }
            }
            '"' | '\'' => {
                while let Some(d) = chars.next() {
                    out.push(d);
                    if d == '\\' {
                        if let Some(e) = chars.next() {
                            out.push(e);
                        }
                    } else if d == c {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::minify_css;

    #[test]
    fn comments_and_meaningless_spaces_go() {
        let src = "/* colours */\n:root {\n  --bg: #fff; /* page */\n}\na, b > c { color: red; }\n";
        assert_eq!(minify_css(src), ":root{--bg:#fff}a,b>c{color:red}");
    }

    #[test]
    fn spaces_that_carry_meaning_stay() {
        // A descendant `:hover`, `calc()` operators and a media query's `and (`.
        assert_eq!(minify_css("a :hover { x: 1 }"), "a :hover{x:1}");
        assert_eq!(
            minify_css("p { top: calc(100%  -  1rem); }"),
            "p{top:calc(100% - 1rem)}"
        );
        assert_eq!(
            minify_css("@media (hover: none), (pointer: coarse) and (x) { a { b: c } }"),
            "@media (hover:none),(pointer:coarse) and (x){a{b:c}}"
        );
    }

    #[test]
    fn strings_and_escapes_are_copied_as_written() {
        let src = ".a::before { content: \"/* not a comment */ ,  ; }\"; }\n.b\\:c { content: '\\'  x'; }";
        assert_eq!(
            minify_css(src),
            ".a::before{content:\"/* not a comment */ ,  ; }\"}.b\\:c{content:'\\'  x'}"
        );
    }

    #[test]
    fn a_comment_between_words_still_separates_them() {
        assert_eq!(minify_css("a/**/b{}"), "a b{}");
    }
}
