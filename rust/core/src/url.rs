//! URLs taken apart where personal data can stand: credentials, path
//! segments, query parameters, fragment. The parts are slices of the text
//! itself, so a URL in which nothing changes is written out as it came.

use std::borrow::Cow;

/// The parts of a URL, each a slice of it (absent parts are `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts<'t> {
    /// Everything up to the authority: `https://` (empty for a path alone).
    pub scheme: &'t str,
    /// `user:password` before the last `@` of the authority.
    pub userinfo: Option<&'t str>,
    /// The host and port.
    pub host: &'t str,
    pub path: &'t str,
    pub query: Option<&'t str>,
    pub fragment: Option<&'t str>,
}

/// Splits `text`. The authority runs from `//` to the first `/`, `?` or `#`,
/// and credentials are what stands before its last `@`. A password may hold
/// an unencoded `#`, `?`, `%` or `&`: an `@` past a `?` or `#` (before the
/// path) still ends the credentials when what stands before it has a `:`
/// (`user:pa#ss@host`); otherwise the `?` or `#` starts the query or fragment
/// (`host?email=anna@example.lv`).
pub fn split(text: &str) -> Parts<'_> {
    let after_scheme = scheme_end(text);
    let (scheme, rest) = text.split_at(after_scheme);
    let (userinfo, host, rest) = if scheme.ends_with("//") {
        let path_start = rest.find('/').unwrap_or(rest.len());
        let authority_end = rest[..path_start].find(['?', '#']).unwrap_or(path_start);
        let at = match rest[..authority_end].rfind('@') {
            Some(at) => Some(at),
            None => {
                // Past a `?` or `#`, an encoded `/` ends the credentials' reach as a
                // `/` does: a query we wrote again percent-encoded (`a b/k` as
                // `a%20b%2Fk`) is read as it was, not as a password up to a later `@`.
                let past = &rest[authority_end..path_start];
                let reach = past.find("%2F").or_else(|| past.find("%2f")).map_or(path_start, |i| authority_end + i);
                rest[..reach].rfind('@').filter(|&at| colon_outside_brackets(&rest[..at]))
            }
        };
        match at {
            Some(at) => {
                let host_end = at + 1 + rest[at + 1..path_start].find(['?', '#']).unwrap_or(path_start - at - 1);
                (Some(&rest[..at]), &rest[at + 1..host_end], &rest[host_end..])
            }
            None => (None, &rest[..authority_end], &rest[authority_end..]),
        }
    } else {
        (None, "", rest)
    };
    let (before_fragment, fragment) = match rest.find('#') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (path, query) = match before_fragment.find('?') {
        Some(i) => (&before_fragment[..i], Some(&before_fragment[i + 1..])),
        None => (before_fragment, None),
    };
    Parts { scheme, userinfo, host, path, query, fragment }
}

/// Whether `text` holds a `:` that is not inside `[…]`: a user name and
/// password past a `?` or `#` are read only with such a colon, so that the
/// colon of our own mask (`?e=[REDACTED:email]&…@host`, written by a first
/// pass) never makes one on a second pass.
fn colon_outside_brackets(text: &str) -> bool {
    let mut depth = 0usize;
    for b in text.bytes() {
        match b {
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b':' if depth == 0 => return true,
            _ => {}
        }
    }
    false
}

/// The length of `scheme://` (or `scheme:`) at the start of `text`, 0 if none.
fn scheme_end(text: &str) -> usize {
    let bytes = text.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_alphabetic) {
        return 0;
    }
    let name = bytes.iter().position(|&b| !(b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.'));
    match name {
        Some(n) if bytes[n] == b':' && bytes[n + 1..].starts_with(b"//") => n + 3,
        _ => 0,
    }
}

/// Python's `urllib.parse.unquote_plus`: `+` as a space, `%XX` as a byte
/// (malformed escapes as they are), the bytes read as UTF-8 (invalid ones as U+FFFD).
pub fn unquote_plus(text: &str) -> Cow<'_, str> {
    if !text.contains(['%', '+']) {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' if i + 2 < bytes.len() && hex(bytes[i + 1]).is_some() && hex(bytes[i + 2]).is_some() => {
                out.push((hex(bytes[i + 1]).unwrap_or(0) << 4) | hex(bytes[i + 2]).unwrap_or(0));
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// A piece written again: every ASCII byte but letters, digits, `_.-~` and
/// `[]:` written as `%XX`, as Python's `urllib.parse.quote(text,
/// safe="[]:")` does, and of the other characters only spaces (`\s`, which
/// would end the URL). Any other character stays as it is: encoded, it
/// would read differently from what the text read before held (`Σ` as the
/// word characters `CE`, `A3`; `s\u{fffd}%40x.lv` as an encoded address
/// whose local part is the escape, where `s\u{fffd}@x.lv` holds none), so
/// a second pass would find what the first did not. A piece written again
/// never holds an `@` that was encoded (`%40`): it would make what stands
/// before it a user name and password when the URL is read again.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || "_.-~[]:".contains(c) || (!c.is_ascii() && !c.is_whitespace()) {
            out.push(c);
        } else {
            let mut bytes = [0; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                out.push('%');
                out.push(char::from(HEX_DIGITS[usize::from(b >> 4)]));
                out.push(char::from(HEX_DIGITS[usize::from(b & 0xF)]));
            }
        }
    }
    out
}

const HEX_DIGITS: &[u8; 16] = b"0123456789ABCDEF";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts() {
        let p = split("https://janis:pa#ss&w%rd@portal.example.lv/login/x?q=1&b#top");
        assert_eq!(p.scheme, "https://");
        assert_eq!(p.userinfo, Some("janis:pa#ss&w%rd"));
        assert_eq!(p.host, "portal.example.lv");
        assert_eq!((p.path, p.query, p.fragment), ("/login/x", Some("q=1&b"), Some("top")));
        let p = split("/api/search?q=janis%40example.lv&page=2");
        assert_eq!((p.scheme, p.userinfo, p.host, p.path), ("", None, "", "/api/search"));
        assert_eq!(p.query, Some("q=janis%40example.lv&page=2"));
        let p = split("https://example.lv?next=1");
        assert_eq!((p.host, p.path, p.query), ("example.lv", "", Some("next=1")));
        let p = split("https://shop.lv?email=anna@example.lv&card=4111111111111111");
        assert_eq!((p.userinfo, p.host, p.path), (None, "shop.lv", ""));
        assert_eq!(p.query, Some("email=anna@example.lv&card=4111111111111111"));
        let p = split("https://shop.lv#u=anna@example.lv&pk=32064812345");
        assert_eq!((p.userinfo, p.host, p.fragment), (None, "shop.lv", Some("u=anna@example.lv&pk=32064812345")));
        let p = split("https://janis:pa?ss@host.lv?x=1");
        assert_eq!((p.userinfo, p.host, p.query), (Some("janis:pa?ss"), "host.lv", Some("x=1")));
        // An encoded `/` after the query's start ends the reach of credentials as `/` does.
        let p = split("https://shop.lv:8443?q=a%20b%2Fk@z");
        assert_eq!((p.userinfo, p.host, p.query), (None, "shop.lv:8443", Some("q=a%20b%2Fk@z")));
        assert_eq!(split("https://shop.lv:8443?q=a b/k@z").userinfo, None);
        assert_eq!(split("https://janis:pa%2Fss@host.lv?x=1").userinfo, Some("janis:pa%2Fss"));
        // scan_text (libFuzzer, seed 778): past the query's start, the colon
        // of our own mask makes no user name and password up to a later `@`.
        let p = split("https://jenis998?n=a%3Db%40[REDACTED:email]&x%vns@viek.lv");
        assert_eq!((p.userinfo, p.host), (None, "jenis998"));
        assert_eq!(split("https://jenis998?n=[a:b]@viek.lv").userinfo, None);
        assert_eq!(split("https://jenis:998?n=[REDACTED:email]@viek.lv").userinfo, Some("jenis:998?n=[REDACTED:email]"));
        let p = split("mailto:anna@example.lv");
        assert_eq!((p.scheme, p.path), ("", "mailto:anna@example.lv"));
    }

    #[test]
    fn quoting_and_unquoting() {
        assert_eq!(unquote_plus("a+b%40c%zz%4"), "a b@c%zz%4");
        assert_eq!(unquote_plus("%C4%81%FF"), "ā\u{fffd}");
        assert_eq!(quote("[REDACTED:email] ā/x"), "[REDACTED:email]%20ā%2Fx");
        assert_eq!(quote("Σ\u{a0}€\u{fffd}\u{2028}"), "Σ%C2%A0€\u{fffd}%E2%80%A8");
        // scan_text (fuzzing): a decoded `%40` written back as `@` made a user name of the text before it.
        assert_eq!(quote("al.ozola@inv/k"), "al.ozola%40inv%2Fk");
    }
}
