package devstack

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// opMsgBytes builds an OP_MSG: the body as a kind 0 section, preceded by a
// kind 1 document sequence when seqFirst, followed by one otherwise.
func opMsgBytes(t *testing.T, flags uint32, body bson.D, seqFirst bool) []byte {
	t.Helper()
	doc, err := bson.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	seqDoc, err := bson.Marshal(bson.D{{Key: "_id", Value: 1}})
	if err != nil {
		t.Fatal(err)
	}
	var seq []byte
	seq = append(seq, 1)
	seq = binary.LittleEndian.AppendUint32(seq, uint32(4+len("documents")+1+len(seqDoc)))
	seq = append(seq, "documents\x00"...)
	seq = append(seq, seqDoc...)

	var b []byte
	b = binary.LittleEndian.AppendUint32(b, 0) // length, set below
	b = binary.LittleEndian.AppendUint32(b, 7) // requestID
	b = binary.LittleEndian.AppendUint32(b, 0) // responseTo
	b = binary.LittleEndian.AppendUint32(b, opMsg)
	b = binary.LittleEndian.AppendUint32(b, flags)
	if seqFirst {
		b = append(b, seq...)
	}
	b = append(b, 0)
	b = append(b, doc...)
	if !seqFirst {
		b = append(b, seq...)
	}
	if flags&flagChecksumPresent != 0 {
		b = binary.LittleEndian.AppendUint32(b, 0xdeadbeef) // not checked by the proxy
	}
	binary.LittleEndian.PutUint32(b, uint32(len(b)))
	return b
}

func opQueryBytes(t *testing.T, collection string, query bson.D) []byte {
	t.Helper()
	doc, err := bson.Marshal(query)
	if err != nil {
		t.Fatal(err)
	}
	var b []byte
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint32(b, 1)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint32(b, opQuery)
	b = binary.LittleEndian.AppendUint32(b, 0) // flags
	b = append(b, collection...)
	b = append(b, 0)
	b = binary.LittleEndian.AppendUint32(b, 0)          // numberToSkip
	b = binary.LittleEndian.AppendUint32(b, ^uint32(0)) // numberToReturn -1
	b = append(b, doc...)
	binary.LittleEndian.PutUint32(b, uint32(len(b)))
	return b
}

func TestIsWrite(t *testing.T) {
	update := bson.D{{Key: "update", Value: "offers"}, {Key: "$db", Value: "parcours"}}
	find := bson.D{{Key: "find", Value: "offers"}, {Key: "$db", Value: "parcours"}}
	full := func(b []byte) []byte { return b }
	tests := []struct {
		name string
		msg  []byte
		cut  func([]byte) []byte // the prefix the proxy has read
		want bool
	}{
		{"update is a write", opMsgBytes(t, 0, update, false), full, true},
		{"find is a read", opMsgBytes(t, 0, find, false), full, false},
		{"insert with its documents in a sequence is a write",
			opMsgBytes(t, 0, bson.D{{Key: "insert", Value: "offers"}}, false), full, true},
		{"body after a document sequence is found", opMsgBytes(t, 0, find, true), full, false},
		{"write body after a document sequence is found", opMsgBytes(t, 0, update, true), full, true},
		{"checksum present does not hide the body", opMsgBytes(t, flagChecksumPresent, find, true), full, false},
		{"findandmodify in lower case is a write",
			opMsgBytes(t, 0, bson.D{{Key: "findandmodify", Value: "c"}}, false), full, true},
		{"findAndModify is a write", opMsgBytes(t, 0, bson.D{{Key: "findAndModify", Value: "c"}}, false), full, true},
		{"createIndexes is a write", opMsgBytes(t, 0, bson.D{{Key: "createIndexes", Value: "c"}}, false), full, true},
		{"hello is a read", opMsgBytes(t, 0, bson.D{{Key: "hello", Value: 1}}, false), full, false},
		{"aggregate is a read", opMsgBytes(t, 0, bson.D{{Key: "aggregate", Value: "c"}}, false), full, false},
		{"a prefix that stops before the body is treated as a write",
			opMsgBytes(t, 0, find, true), func(b []byte) []byte { return b[:headerLen+6] }, true},
		{"a prefix that stops inside the command name is treated as a write",
			opMsgBytes(t, 0, find, false), func(b []byte) []byte { return b[:headerLen+4+1+4+1+2] }, true},
		{"legacy hello over OP_QUERY is a read",
			opQueryBytes(t, "admin.$cmd", bson.D{{Key: "isMaster", Value: 1}}), full, false},
		{"legacy delete command over OP_QUERY is a write",
			opQueryBytes(t, "parcours.$cmd", bson.D{{Key: "delete", Value: "c"}}), full, true},
		{"compressed message is treated as a write",
			func() []byte {
				b := opMsgBytes(t, 0, find, false)
				binary.LittleEndian.PutUint32(b[12:], opCompressed)
				return b
			}(), full, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.cut(tt.msg)
			h := parseHeader(b)
			if got := isWrite(h, b); got != tt.want {
				t.Errorf("isWrite = %v, want %v", got, tt.want)
			}
		})
	}
}

// failingWriter accepts limit bytes, then fails.
type failingWriter struct {
	got   []byte
	limit int
}

func (w *failingWriter) Write(p []byte) (int, error) {
	room := w.limit - len(w.got)
	if len(p) > room {
		w.got = append(w.got, p[:room]...)
		return room, errors.New("client gone")
	}
	w.got = append(w.got, p...)
	return len(p), nil
}

func TestForward(t *testing.T) {
	message := func(size int) []byte {
		b := make([]byte, size)
		binary.LittleEndian.PutUint32(b, uint32(size))
		binary.LittleEndian.PutUint32(b[12:], opMsg)
		for i := headerLen; i < size; i++ {
			b[i] = byte(i)
		}
		return b
	}
	const next = "NEXT" // the start of the following message, never consumed
	tests := []struct {
		name       string
		size       int
		bufLen     int
		writeLimit int // bytes the writer takes before failing; 0 = no failure
		wantUnread int64
		wantErr    bool
	}{
		{name: "message within the buffer", size: 100, bufLen: 64 << 10},
		{name: "message streamed through a small buffer", size: 100_000, bufLen: 1 << 10},
		{name: "writer fails on the prefix: the whole rest is unread", size: 10_000, bufLen: 1 << 10, writeLimit: 10, wantUnread: 10_000 - 1<<10, wantErr: true},
		{name: "writer fails while streaming: unread counts what was not read", size: 10_000, bufLen: 1 << 10, writeLimit: 3 << 10, wantUnread: 10_000 - 4<<10, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := message(tt.size)
			r := bufio.NewReaderSize(bytes.NewReader(append(append([]byte{}, msg...), next...)), 16)
			buf := make([]byte, tt.bufLen)
			h, n, err := readPrefix(r, buf)
			if err != nil {
				t.Fatalf("readPrefix: %v", err)
			}
			w := &failingWriter{limit: tt.writeLimit}
			if tt.writeLimit == 0 {
				w.limit = 1 << 30
			}
			unread, err := forward(w, r, h, buf, n)
			if (err != nil) != tt.wantErr {
				t.Fatalf("forward error = %v, want error %v", err, tt.wantErr)
			}
			if unread != tt.wantUnread {
				t.Errorf("unread = %d, want %d", unread, tt.wantUnread)
			}
			if !tt.wantErr && !bytes.Equal(w.got, msg) {
				t.Errorf("forwarded %d bytes differing from the %d-byte message", len(w.got), len(msg))
			}
			// Draining what is unread must land exactly on the next message.
			if _, err := io.CopyN(io.Discard, r, unread); err != nil {
				t.Fatalf("drain: %v", err)
			}
			rest, _ := io.ReadAll(r)
			if string(rest) != next {
				t.Errorf("after the message the reader holds %q, want %q", rest, next)
			}
		})
	}
}
