import Foundation

/// A post's URL as an identity: the same post reached through `m.vk.com`, `www.`, `http://`, a
/// trailing slash, a fragment or a share link's tracking parameters gives the same key, so it is
/// registered once. Parameters that name a post or a comment are kept (VK's `reply`, `thread` and a
/// `w=wall...` overlay; OK's topic and comment ids; Telegram's `comment` and `thread`). The URL as
/// given is what the case shows; the key is only for finding duplicates.
public enum PostURL {
    /// Host prefixes that reach the same site.
    static let aliasPrefixes = ["www.", "m.", "mobile.", "new.", "web."]

    /// Query parameters that identify a post or comment, per network; for other networks every
    /// parameter except the tracking ones is kept.
    static let identifying: [String: Set<String>] = [
        "vk": ["reply", "thread", "w"],
        "ok": [
            "commentid", "st.discid", "st.dscid", "st.topicid", "st.groupid", "st.themeid", "st.mid", "st.fid",
            "topicid", "cid",
        ],
        "tg": ["comment", "thread", "single"],
    ]

    static let tracking: Set<String> = [
        "fbclid", "gclid", "yclid", "ysclid", "igshid", "igsh", "si", "ref", "ref_src", "from", "_openstat", "share",
        "utm",
        "mc_cid", "mc_eid", "_rdc", "_rdr", "feature",
    ]

    /// The duplicate-finding key of `url` posted in `network` (`hosts`: the network's hosts in the
    /// profile; an alias such as `vk.ru` becomes the first of them).
    public static func key(_ url: String, network: String, hosts: [String] = []) -> String {
        let trimmed = trimmed(url)
        guard let components = URLComponents(string: trimmed), let rawHost = components.host, !rawHost.isEmpty else {
            return trimmed.lowercased()
        }
        var host = rawHost.lowercased()
        if host.hasSuffix(".") { host.removeLast() }
        for prefix in aliasPrefixes where host.hasPrefix(prefix) && host.count > prefix.count + 3 {
            host.removeFirst(prefix.count)
            break
        }
        if let canonical = hosts.first, hosts.contains(host) { host = canonical }

        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        var items = (components.queryItems ?? []).filter { !($0.value ?? "").isEmpty }
        let lowered = { (item: URLQueryItem) in item.name.lowercased() }
        if let keep = identifying[network] {
            items = items.filter { keep.contains(lowered($0)) }
        } else {
            items = items.filter { !tracking.contains(lowered($0)) && !lowered($0).hasPrefix("utm_") }
        }
        switch network {
        case "vk":
            // vk.com/feed?w=wall-1_7 and vk.com/club1?w=wall-1_7 open post wall-1_7 over another page.
            if let overlay = items.first(where: { lowered($0) == "w" })?.value, overlay.hasPrefix("wall") {
                path = "/" + overlay
                items.removeAll { lowered($0) == "w" }
            }
        case "tg":
            // t.me/s/channel/4 is the web preview of t.me/channel/4; channel names ignore case.
            var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            if parts.first == "s", parts.count > 1 { parts.removeFirst() }
            if !parts.isEmpty { parts[0] = parts[0].lowercased() }
            path = "/" + parts.joined(separator: "/")
        default:  // a network without rules of its own
            break
        }
        let query = items.map { "\(lowered($0))=\($0.value ?? "")" }.sorted().joined(separator: "&")
        return host + path + (query.isEmpty ? "" : "?" + query)
    }

    /// `text` without the scalars Foundation's `.whitespacesAndNewlines` trims at its ends (White_Space:
    /// category Z*, tab, line breaks, U+0085; and U+200B, ZERO WIDTH SPACE, which swift-corelibs-foundation
    /// counts too), without bridging to NSString on every registration (half of `key`'s time). The keys
    /// stored are the same as before (`TextTrimTests` holds the two together over every such scalar).
    static func trimmed(_ text: String) -> String {
        let kept = { (scalar: Unicode.Scalar) in !scalar.properties.isWhitespace && scalar != "\u{200B}" }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: kept), let last = scalars.lastIndex(where: kept) else { return "" }
        return String(scalars[first...last])
    }

    /// The host of `url`, lower-cased, without a trailing dot; nil when it has none.
    public static func host(_ url: String) -> String? {
        guard var host = URLComponents(string: url.trimmingCharacters(in: .whitespaces))?.host?.lowercased(),
            !host.isEmpty
        else { return nil }
        if host.hasSuffix(".") { host.removeLast() }
        return host
    }

    /// Whether `url` lives on one of `hosts` or a subdomain of one (`m.vk.com` is vk.com's).
    public static func isOn(_ url: String, hosts: [String]) -> Bool {
        guard let host = host(url) else { return false }
        return hosts.contains { host == $0 || host.hasSuffix("." + $0) }
    }
}
