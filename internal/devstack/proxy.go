package devstack

import (
	"bufio"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"
)

// proxy relays MongoDB wire traffic between clients and one backend and runs
// write commands one at a time: from the moment a write request is forwarded
// until its reply has been relayed back, no other write request is forwarded.
// Reads flow without waiting.
//
// FerretDB v1 applies an update's filter and its modification as two steps;
// serializing writes makes a single-document conditional update atomic, as
// it is on MongoDB.
type proxy struct {
	ln      net.Listener
	backend string
	logger  *slog.Logger

	// writeMu is held from forwarding a write request until its reply.
	writeMu sync.Mutex

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup
}

// startProxy listens on a free port of 127.0.0.1 and relays to backend.
func startProxy(backend string, logger *slog.Logger) (*proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &proxy{
		ln:      ln,
		backend: backend,
		logger:  logger,
		conns:   make(map[net.Conn]struct{}),
	}
	p.wg.Add(1)
	go p.acceptLoop()
	return p, nil
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

// close stops accepting, closes every connection and waits for the relaying
// goroutines to finish.
func (p *proxy) close() error {
	p.mu.Lock()
	p.closed = true
	err := p.ln.Close()
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	return err
}

// track registers c for close; it reports false once the proxy is closed.
func (p *proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *proxy) untrack(c net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
}

func (p *proxy) acceptLoop() {
	defer p.wg.Done()
	for {
		client, err := p.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			p.logger.Warn("mongo proxy: accept", slog.Any("err", err))
			time.Sleep(50 * time.Millisecond)
			continue
		}
		if !p.track(client) {
			client.Close()
			return
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer p.untrack(client)
			defer client.Close()
			p.serve(client)
		}()
	}
}

// session is one client connection paired with its backend connection.
type session struct {
	p              *proxy
	client, server net.Conn

	mu           sync.Mutex
	done         bool  // the reply side has stopped: nothing will release writeMu
	requestsDone bool  // the request side has stopped
	holding      bool  // this session holds p.writeMu
	heldFor      int32 // requestID of the write request holding it
}

func (p *proxy) serve(client net.Conn) {
	server, err := net.DialTimeout("tcp", p.backend, 5*time.Second)
	if err != nil {
		p.logger.Warn("mongo proxy: dial backend", slog.Any("err", err))
		return
	}
	if !p.track(server) {
		server.Close()
		return
	}
	defer p.untrack(server)

	s := &session{p: p, client: client, server: server}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.relayReplies()
	}()
	s.relayRequests()
	// Whichever side stops first closes both connections, which stops the
	// other.
	wg.Wait()
}

// shutdown closes both connections; it is safe to call more than once.
func (s *session) shutdown() {
	s.client.Close()
	s.server.Close()
}

// relayRequests forwards client requests to the server, taking writeMu
// before each write request.
func (s *session) relayRequests() {
	serverFailed := false
	defer func() { s.endRequests(serverFailed) }()
	r := bufio.NewReaderSize(s.client, prefixLen)
	buf := make([]byte, prefixLen)
	for {
		h, n, err := readPrefix(r, buf)
		if err != nil {
			s.logEnd("read request", err)
			return
		}
		// A request flagged moreToCome gets no reply to release the lock
		// with, so it is not serialized (unacknowledged writes, which the
		// application does not use).
		if isWrite(h, buf[:n]) && msgFlags(h, buf[:n])&flagMoreToCome == 0 {
			if !s.acquire(h.requestID) {
				return
			}
		}
		if _, err := forward(s.server, r, h, buf, n); err != nil {
			serverFailed = true
			s.logEnd("forward request", err)
			return
		}
	}
}

// endRequests closes the client connection and, unless a write is still
// running on the server, the server connection. A client that gives up on a
// write (a canceled context closes the connection) does not stop the server
// from running it: the lock stays held until the server's reply has been
// read, then relayReplies closes the server connection.
func (s *session) endRequests(serverFailed bool) {
	s.mu.Lock()
	s.requestsDone = true
	inFlight := s.holding
	s.mu.Unlock()
	s.client.Close()
	if !inFlight || serverFailed {
		s.server.Close()
	}
}

// relayReplies forwards server replies to the client and releases writeMu
// once the reply to the write request holding it has been read, relayed or
// not.
func (s *session) relayReplies() {
	defer s.shutdown()
	defer s.stop()
	r := bufio.NewReaderSize(s.server, prefixLen)
	buf := make([]byte, prefixLen)
	for {
		h, n, err := readPrefix(r, buf)
		if err != nil {
			s.logEnd("read reply", err)
			return
		}
		final := msgFlags(h, buf[:n])&flagMoreToCome == 0
		unread, err := forward(s.client, r, h, buf, n)
		if err != nil && unread > 0 {
			// The client is gone: read the rest of the reply anyway, so
			// that the server has answered in full before the lock goes.
			_, _ = io.CopyBuffer(io.Discard, io.LimitReader(r, unread), buf)
		}
		if final && s.release(h.responseTo) {
			return
		}
		if err != nil {
			s.logEnd("forward reply", err)
			return
		}
	}
}

// acquire takes writeMu for request id; it reports false, without holding
// the lock, when the session has already stopped.
func (s *session) acquire(id int32) bool {
	s.p.writeMu.Lock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		s.p.writeMu.Unlock()
		return false
	}
	s.holding, s.heldFor = true, id
	return true
}

// release gives writeMu back if it is held for the request answered; it
// reports whether the session is over (the client side has ended and no
// write is in flight).
func (s *session) release(responseTo int32) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.holding && s.heldFor == responseTo {
		s.holding = false
		s.p.writeMu.Unlock()
	}
	return s.requestsDone && !s.holding
}

// stop marks the reply side finished and gives writeMu back if held.
func (s *session) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.done = true
	if s.holding {
		s.holding = false
		s.p.writeMu.Unlock()
	}
}

func (s *session) logEnd(what string, err error) {
	if errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) {
		return
	}
	s.p.logger.Debug("mongo proxy: connection ends", slog.String("at", what), slog.Any("err", err))
}
