//! The HTML escaping Tera applies to every value a template prints.

pub(super) fn escape_min(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    // Copies runs of safe bytes at once: most values (titles, URLs) need no escaping at all.
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&s.as_bytes()[run..i])?;
        out.write_all(rep)?;
        run = i + 1;
    }
    out.write_all(&s.as_bytes()[run..])
}

#[cfg(test)]
mod tests {
    fn escaped(s: &str) -> String {
        let mut out = Vec::new();
        super::escape_min(s, &mut out).expect("writing to a Vec");
        String::from_utf8(out).expect("UTF-8 in, UTF-8 out")
    }

    #[test]
    fn escape_min_escapes_the_five_and_nothing_else() {
        assert_eq!(
            escaped("a/b <c> & \"d\" 'e' é"),
            "a/b &lt;c&gt; &amp; &quot;d&quot; &#39;e&#39; é"
        );
        assert_eq!(escaped(""), "");
    }
}
