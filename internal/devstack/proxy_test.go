package devstack

import (
	"bufio"
	"encoding/binary"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// fakeBackend accepts connections and reports each request it receives;
// it answers a request only when told to, so a test decides when each
// command "finishes".
type fakeBackend struct {
	ln       net.Listener
	received chan received
}

type received struct {
	command string
	answer  func() // sends the reply
}

func startFakeBackend(t *testing.T) *fakeBackend {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &fakeBackend{ln: ln, received: make(chan received, 16)}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
			go b.serve(c)
		}
	}()
	return b
}

func (b *fakeBackend) serve(c net.Conn) {
	r := bufio.NewReader(c)
	buf := make([]byte, 1<<20)
	for {
		h, n, err := readPrefix(r, buf)
		if err != nil {
			return
		}
		name, _ := opMsgCommand(h, buf[:n])
		reply := replyBytes(h.requestID)
		b.received <- received{command: string(name), answer: func() { c.Write(reply) }}
	}
}

func replyBytes(responseTo int32) []byte {
	doc, _ := bson.Marshal(bson.D{{Key: "ok", Value: 1.0}})
	var b []byte
	b = binary.LittleEndian.AppendUint32(b, uint32(headerLen+4+1+len(doc)))
	b = binary.LittleEndian.AppendUint32(b, 99)
	b = binary.LittleEndian.AppendUint32(b, uint32(responseTo))
	b = binary.LittleEndian.AppendUint32(b, opMsg)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = append(b, 0)
	return append(b, doc...)
}

func (b *fakeBackend) next(t *testing.T) received {
	t.Helper()
	select {
	case r := <-b.received:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("backend received nothing within 10s")
		return received{}
	}
}

// nothingWithin fails if the backend receives a request within d. It can
// only miss a fault, never report a false one.
func (b *fakeBackend) nothingWithin(t *testing.T, d time.Duration, why string) {
	t.Helper()
	select {
	case r := <-b.received:
		t.Fatalf("backend received %q: %s", r.command, why)
	case <-time.After(d):
	}
}

func dialProxy(t *testing.T, p *proxy) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", p.addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func send(t *testing.T, c net.Conn, msg []byte) {
	t.Helper()
	if _, err := c.Write(msg); err != nil {
		t.Fatal(err)
	}
}

func readReply(t *testing.T, c net.Conn) header {
	t.Helper()
	buf := make([]byte, 1<<10)
	h, _, err := readPrefix(bufio.NewReader(c), buf)
	if err != nil {
		t.Fatalf("read reply: %v", err)
	}
	return h
}

func withRequestID(msg []byte, id int32) []byte {
	binary.LittleEndian.PutUint32(msg[4:8], uint32(id))
	return msg
}

func startTestProxy(t *testing.T, backend *fakeBackend) *proxy {
	t.Helper()
	p, err := startProxy(backend.ln.Addr().String(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.close() })
	return p
}

func TestProxyHoldsWritesButNotReadsWhileAWriteRuns(t *testing.T) {
	backend := startFakeBackend(t)
	p := startTestProxy(t, backend)
	update := bson.D{{Key: "update", Value: "quota"}}
	find := bson.D{{Key: "find", Value: "quota"}}

	writer1, writer2, reader := dialProxy(t, p), dialProxy(t, p), dialProxy(t, p)
	send(t, writer1, withRequestID(opMsgBytes(t, 0, update, false), 1))
	first := backend.next(t)

	send(t, writer2, withRequestID(opMsgBytes(t, 0, update, false), 2))
	send(t, reader, withRequestID(opMsgBytes(t, 0, find, false), 3))
	if got := backend.next(t); got.command != "find" {
		t.Fatalf("while a write runs, backend received %q, want the find", got.command)
	}
	backend.nothingWithin(t, 300*time.Millisecond, "a second write was forwarded while the first runs")

	first.answer()
	if h := readReply(t, writer1); h.responseTo != 1 {
		t.Errorf("first writer got a reply to %d, want 1", h.responseTo)
	}
	second := backend.next(t)
	if second.command != "update" {
		t.Fatalf("after the first write's reply, backend received %q, want the second update", second.command)
	}
	second.answer()
	if h := readReply(t, writer2); h.responseTo != 2 {
		t.Errorf("second writer got a reply to %d, want 2", h.responseTo)
	}
}

func TestProxyKeepsTheLockWhenAWriterGivesUpBeforeTheReply(t *testing.T) {
	backend := startFakeBackend(t)
	p := startTestProxy(t, backend)
	update := bson.D{{Key: "update", Value: "quota"}}

	quitter, waiter := dialProxy(t, p), dialProxy(t, p)
	send(t, quitter, withRequestID(opMsgBytes(t, 0, update, false), 1))
	first := backend.next(t)
	quitter.Close() // a canceled context: the backend still runs the write

	send(t, waiter, withRequestID(opMsgBytes(t, 0, update, false), 2))
	backend.nothingWithin(t, 300*time.Millisecond, "a write was forwarded while an abandoned one still runs")

	first.answer()
	second := backend.next(t)
	second.answer()
	if h := readReply(t, waiter); h.responseTo != 2 {
		t.Errorf("waiting writer got a reply to %d, want 2", h.responseTo)
	}
}
