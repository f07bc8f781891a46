import Crypto
import Foundation
import Hummingbird

/// The console's static files (`Assets/`: CSS, a little JavaScript, images), read once at start and served at
/// `/console/assets/NAME` with their content type, an ETag and an hour's caching. No CDN, no build step.
struct Assets: Sendable {
    struct File: Sendable {
        let bytes: ByteBuffer
        let contentType: String
        let etag: String
    }

    let files: [String: File]

    /// The URL path of the asset `name`.
    static func path(_ name: String) -> String { "/console/assets/\(name)" }

    /// Reads every file of the bundle's `Assets/` folder.
    static func load() throws -> Assets {
        guard let folder = Bundle.module.url(forResource: "Assets", withExtension: nil) else {
            throw ConsoleError("the console's Assets folder is missing from its bundle")
        }
        var files: [String: File] = [:]
        for url in try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil) {
            let data = try Data(contentsOf: url)
            let digest = SHA256.hash(data: data).prefix(8).map { String(format: "%02x", $0) }.joined()
            files[url.lastPathComponent] = File(bytes: ByteBuffer(bytes: data), contentType: contentType(url.pathExtension), etag: "\"\(digest)\"")
        }
        return Assets(files: files)
    }

    static func contentType(_ pathExtension: String) -> String {
        switch pathExtension.lowercased() {
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "woff2": "font/woff2"
        default: "application/octet-stream"
        }
    }

    static func register(on routes: ConsoleRoutes) {
        let assets = routes.kit.assets
        routes.router.on("/console/assets/{name}", method: .get) { request, context in
            guard let name = context.parameters.get("name"), let file = assets.files[name] else { throw HTTPError(.notFound) }
            if request.headers[.ifNoneMatch] == file.etag {
                return Response(status: .notModified, headers: [.eTag: file.etag, .cacheControl: "public, max-age=3600"])
            }
            return Response(
                status: .ok, headers: [.contentType: file.contentType, .eTag: file.etag, .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: file.bytes))
        }
    }
}
