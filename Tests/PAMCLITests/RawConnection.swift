import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A plain TCP connection to the server under test, for what URLSession will not do: repeated
/// headers, half-sent requests, a client that keeps sending, and watching the server hang up.
/// The blocking socket calls run on threads of their own, off Swift's cooperative pool.
final class RawConnection: @unchecked Sendable {
    private let socketFD: Int32
    private let lock = NSLock()
    private var isOpen = true

    init(port: Int) throws {
        socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw HTTP.Failure("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            Glibc.close(socketFD)
            isOpen = false
            throw HTTP.Failure("cannot connect to port \(port)")
        }
    }

    deinit { close() }

    /// Closes the connection (once; later calls do nothing).
    func close() {
        lock.lock()
        defer { lock.unlock() }
        guard isOpen else { return }
        isOpen = false
        Glibc.close(socketFD)
    }

    /// True when the server has sent something (an early answer, or its close) without waiting for it.
    func hasIncomingData() -> Bool {
        var descriptor = pollfd(fd: socketFD, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0
    }

    /// One answer's status line, headers and `Content-Length` body, as text, read on a thread of
    /// its own; throws when the server closes before answering or `timeout` passes.
    func response(timeout: TimeInterval) async throws -> String {
        let text = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: self.readAnswerBlocking(timeout: timeout)) }.start()
        }
        guard let text else { throw HTTP.Failure("no complete answer within \(timeout) s") }
        return text
    }

    private func readAnswerBlocking(timeout: TimeInterval) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while Date() < deadline {
            if let answer = RawAnswer(received) {
                let length = answer.headers["content-length"].flatMap(Int.init) ?? 0
                if answer.body.count >= length { return String(decoding: received, as: UTF8.self) }
            }
            var descriptor = pollfd(fd: socketFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 200)
            if ready < 0 && errno != EINTR { break }
            guard ready > 0 else { continue }
            let count = recv(socketFD, &buffer, buffer.count, 0)
            if count > 0 {
                received.append(contentsOf: buffer[0..<count])
            } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                break
            }
        }
        return RawAnswer(received) != nil ? String(decoding: received, as: UTF8.self) : nil
    }

    /// Sends all of `data`; false once the server has closed or reset the connection.
    @discardableResult
    func send(_ data: Data) -> Bool {
        data.withUnsafeBytes { buffer in
            var sent = 0
            while sent < buffer.count {
                let count = Glibc.send(socketFD, buffer.baseAddress! + sent, buffer.count - sent, Int32(MSG_NOSIGNAL))
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return false }
                sent += count
            }
            return true
        }
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Data(text.utf8)) }

    /// Keeps sending `chunk` every `interval` on a thread of its own, until the server stops
    /// taking it or `deadline`; the returned task ends then.
    func keepSending(_ chunk: Data, every interval: TimeInterval, until deadline: Date) -> Task<Void, Never> {
        Task {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                Thread {
                    while Date() < deadline, self.send(chunk) { Thread.sleep(forTimeInterval: interval) }
                    continuation.resume()
                }.start()
            }
        }
    }

    /// What the server sends until it closes the connection (end of stream or reset), or until
    /// `timeout` passes; `closed` says which.
    func readUntilClosed(timeout: TimeInterval) async -> (data: Data, closed: Bool) {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: self.readBlocking(timeout: timeout)) }.start()
        }
    }

    private func readBlocking(timeout: TimeInterval) -> (data: Data, closed: Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while Date() < deadline {
            var descriptor = pollfd(fd: socketFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 200)
            if ready < 0 && errno != EINTR { return (received, true) }
            guard ready > 0 else { continue }
            let count = recv(socketFD, &buffer, buffer.count, 0)
            if count > 0 {
                received.append(contentsOf: buffer[0..<count])
            } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                return (received, true) // end of stream, or reset
            }
        }
        return (received, false)
    }
}

/// An HTTP/1.1 answer read off a raw connection: the status line, the headers (names lowercased), the rest.
struct RawAnswer {
    var status: Int
    var headers: [String: String]
    var body: Data

    init?(_ data: Data) {
        guard let end = data.range(of: Data("\r\n\r\n".utf8)) else { return nil }
        let lines = String(decoding: data[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        guard let first = lines.first, first.hasPrefix("HTTP/1.1 "), let status = Int(first.dropFirst(9).prefix(3)) else { return nil }
        self.status = status
        headers = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        body = data[end.upperBound...]
    }
}
