import Hummingbird

// Hummingbird alone: one route answering what Patron's GET /health answers, with no middleware, no OpenAPI runtime
// and no store: the floor under every request of `patron serve` (Benchmarks/api/floor.sh).
let port = Int(CommandLine.arguments.dropFirst().first ?? "8080") ?? 8080
let router = Router()
router.get("/health") { _, _ -> Response in
    Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
