//! A cheap pass over YAML before serde_yaml sees it. libyaml's scanner is quadratic in nesting depth
//! (160 KB of `[` took 13 s to reject), so a pull request could stall `check` in CI; front matter is a few
//! fields a few levels deep, so anything nested deeper than [`MAX_DEPTH`] or front matter larger than
//! [`MAX_FRONT_MATTER`] is refused here, at its position, in time linear in its length.
//!
//! The scan follows YAML closely enough to count what the parser would nest: flow collections (`[`, `{`)
//! outside quoted strings and comments, block collections by their indentation, and compact nested
//! sequences (`- - - x`). Plain text that merely contains a bracket (`title: a [b]`) is not nesting and is
//! not counted: a bracket opens a collection only where a value starts.

/// The deepest nesting accepted (flow and block levels together).
pub(crate) const MAX_DEPTH: usize = 64;
/// The largest front matter accepted, in bytes.
pub(crate) const MAX_FRONT_MATTER: usize = 256 * 1024;

/// Why the YAML was refused, at byte `offset` of it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) offset: usize,
    pub(crate) message: String,
    pub(crate) help: &'static str,
}

/// Checks `yaml`'s size (when `max_bytes` is given) and nesting depth.
pub(crate) fn check(yaml: &str, max_bytes: Option<usize>) -> Result<(), Refusal> {
    if let Some(max) = max_bytes {
        if yaml.len() > max {
            return Err(Refusal {
                offset: 0,
                message: format!(
                    "front matter is {} KB; the limit is {} KB",
                    yaml.len().div_ceil(1024),
                    max / 1024
                ),
                help: "front matter holds a page's fields; move long text into the page's body",
            });
        }
    }
    Scan::default().run(yaml)
}

#[derive(Default)]
struct Scan {
    /// Open flow collections.
    flow: usize,
    /// Indentations of the open block collections.
    indents: Vec<usize>,
    /// Inside a quoted scalar (which may span lines): its quote character.
    quote: Option<u8>,
    /// Inside a block scalar (`|` or `>`): the indentation of the line that opened it.
    block_scalar: Option<usize>,
}

impl Scan {
    fn run(mut self, yaml: &str) -> Result<(), Refusal> {
        let mut line_start = 0;
        for line in yaml.split_inclusive('\n') {
            self.line(line.as_bytes(), line_start)?;
            line_start += line.len();
        }
        Ok(())
    }

    fn too_deep(offset: usize) -> Result<(), Refusal> {
        Err(Refusal {
            offset,
            message: format!("front matter nests deeper than {MAX_DEPTH} levels"),
            help: "front matter fields are lists and maps a few levels deep: flatten this value \
                   (deep nesting is refused before parsing, since it makes the YAML parser slow)",
        })
    }

    fn line(&mut self, line: &[u8], at: usize) -> Result<(), Refusal> {
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let rest = line.get(indent..).unwrap_or_default();
        let blank = rest.iter().all(u8::is_ascii_whitespace);
        if let Some(opened) = self.block_scalar {
            if blank || indent > opened {
                return Ok(());
            }
            self.block_scalar = None;
        }
        let mut block = 0;
        if self.quote.is_none() && self.flow == 0 && !blank && rest.first() != Some(&b'#') {
            while self.indents.last().is_some_and(|&top| top > indent) {
                self.indents.pop();
            }
            if self.indents.last() != Some(&indent) {
                self.indents.push(indent);
            }
            block = self.indents.len();
        }
        // The last significant byte outside quotes on this line, and whether whitespace followed it.
        let mut prev: Option<u8> = None;
        let mut spaced = true;
        let mut i = indent;
        while let Some(&b) = line.get(i) {
            if let Some(q) = self.quote {
                if q == b'"' && b == b'\\' {
                    i += 2;
                    continue;
                }
                if b == q {
                    if q == b'\'' && line.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    self.quote = None;
                    prev = Some(b);
                    spaced = false;
                }
                i += 1;
                continue;
            }
            if b.is_ascii_whitespace() {
                spaced = true;
                i += 1;
                continue;
            }
            let value_start = match prev {
                None => true,
                Some(p) if self.flow > 0 => matches!(p, b'[' | b'{' | b',' | b':' | b'?'),
                Some(p) => spaced && matches!(p, b':' | b'-' | b'?'),
            };
            match b {
                b'#' if spaced => break,
                b'"' | b'\'' if value_start => self.quote = Some(b),
                b'[' | b'{' if value_start || self.flow > 0 => {
                    self.flow += 1;
                    if block + self.flow > MAX_DEPTH {
                        return Self::too_deep(at + i);
                    }
                }
                b']' | b'}' if self.flow > 0 => self.flow -= 1,
                // A compact nested sequence (`- - x`) or a nested block key opens one more level.
                b'-' | b'?'
                    if self.flow == 0
                        && value_start
                        && prev.is_some()
                        && line.get(i + 1).is_none_or(u8::is_ascii_whitespace) =>
                {
                    block += 1;
                    if block > MAX_DEPTH {
                        return Self::too_deep(at + i);
                    }
                }
                b'|' | b'>' if self.flow == 0 && value_start => {
                    self.block_scalar = Some(indent);
                }
                _ => {}
            }
            if block > MAX_DEPTH {
                return Self::too_deep(at + indent);
            }
            prev = Some(b);
            spaced = false;
            i += 1;
        }
        if block > MAX_DEPTH {
            return Self::too_deep(at + indent);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_ok(yaml: &str) -> bool {
        check(yaml, None).is_ok()
    }

    #[test]
    fn ordinary_front_matter_passes() {
        assert!(depth_ok(
            "id: a\ntitle: \"[[[[ not nesting\"\nsummary: a [b] {c} it's [x\nrelated: [a, b]\n\
             signals:\n  - event: {source: S, id: 1}\n    weight: 2\nbody: |\n  [[[[[[[\n    {{{{\n"
        ));
    }

    #[test]
    fn deep_flow_nesting_is_refused_at_the_bracket() {
        let yaml = format!("id: a\nx: {}\n", "[".repeat(100));
        let r = check(&yaml, None).err();
        assert_eq!(
            r.map(|r| r.offset),
            Some("id: a\nx: ".len() + MAX_DEPTH - 1)
        );
        let braces = format!("x: {}", "{a: ".repeat(70));
        assert!(!depth_ok(&braces));
        assert!(depth_ok(&format!(
            "x: {}{}",
            "[".repeat(60),
            "]".repeat(60)
        )));
    }

    #[test]
    fn deep_block_nesting_is_refused() {
        let mut yaml = String::new();
        for d in 0..70 {
            yaml.push_str(&" ".repeat(d));
            yaml.push_str("k:\n");
        }
        assert!(!depth_ok(&yaml));
        let dashes = format!("x:\n  {}y\n", "- ".repeat(70));
        assert!(!depth_ok(&dashes));
        assert!(depth_ok(&format!("x:\n  {}y\n", "- ".repeat(10))));
    }

    #[test]
    fn size_is_limited() {
        let big = "a: b\n".repeat(MAX_FRONT_MATTER / 5 + 1);
        assert!(check(&big, Some(MAX_FRONT_MATTER)).is_err());
        assert!(check(&big, None).is_ok());
    }
}
