package devstack

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MongoDB wire protocol constants the proxy needs. A message starts with a
// 16-byte header: int32 messageLength (header included), requestID,
// responseTo, opCode, all little-endian.
const (
	headerLen = 16

	opReply      = 1
	opQuery      = 2004
	opCompressed = 2012
	opMsg        = 2013

	// OP_MSG flagBits.
	flagChecksumPresent = 1 << 0
	flagMoreToCome      = 1 << 1

	// maxMessageLen bounds what the proxy accepts: MongoDB's
	// maxMessageSizeBytes is 48,000,000; leave some room above it.
	maxMessageLen = 64 << 20

	// prefixLen is how much of a message is read into memory before it is
	// forwarded; the rest, if any, is streamed through a reused buffer.
	prefixLen = 16 << 10
)

// header is the parsed message header.
type header struct {
	length     int
	requestID  int32
	responseTo int32
	opCode     int32
}

func parseHeader(b []byte) header {
	return header{
		length:     int(int32(binary.LittleEndian.Uint32(b[0:4]))),
		requestID:  int32(binary.LittleEndian.Uint32(b[4:8])),
		responseTo: int32(binary.LittleEndian.Uint32(b[8:12])),
		opCode:     int32(binary.LittleEndian.Uint32(b[12:16])),
	}
}

// msgFlags returns the flagBits of an OP_MSG whose first bytes are in b, or 0
// for other op codes.
func msgFlags(h header, b []byte) uint32 {
	if h.opCode != opMsg || len(b) < headerLen+4 {
		return 0
	}
	return binary.LittleEndian.Uint32(b[headerLen : headerLen+4])
}

// readPrefix reads one message header and up to len(buf) bytes of the message
// into buf. It returns the header and how many bytes of buf hold the message.
func readPrefix(r *bufio.Reader, buf []byte) (header, int, error) {
	if _, err := io.ReadFull(r, buf[:headerLen]); err != nil {
		return header{}, 0, err
	}
	h := parseHeader(buf)
	if h.length < headerLen || h.length > maxMessageLen {
		return header{}, 0, fmt.Errorf("message length %d out of range", h.length)
	}
	n := min(h.length, len(buf))
	if _, err := io.ReadFull(r, buf[headerLen:n]); err != nil {
		return header{}, 0, unexpectedEOF(err)
	}
	return h, n, nil
}

// forward writes the n bytes of prefix already in buf to w, then streams the
// rest of the message (h.length-n bytes) from r through buf. On error it
// returns how many bytes of the message were left unread in r.
func forward(w io.Writer, r *bufio.Reader, h header, buf []byte, n int) (unread int64, err error) {
	rest := &io.LimitedReader{R: r, N: int64(h.length - n)}
	if _, err := w.Write(buf[:n]); err != nil {
		return rest.N, err
	}
	if rest.N == 0 {
		return 0, nil
	}
	// writerOnly hides w's ReadFrom so that CopyBuffer uses buf instead of
	// allocating its own.
	if _, err := io.CopyBuffer(writerOnly{w}, rest, buf); err != nil {
		return rest.N, err
	}
	if rest.N != 0 {
		return rest.N, io.ErrUnexpectedEOF
	}
	return 0, nil
}

type writerOnly struct{ io.Writer }

func unexpectedEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// writeCommands are the commands the embedded store must run one at a time.
// Command names are matched case-insensitively (MongoDB accepts
// "findandmodify" as well as "findAndModify").
var writeCommands = []string{
	"insert", "update", "delete", "findAndModify",
	"create", "createIndexes", "drop", "dropDatabase", "dropIndexes",
	"renameCollection", "collMod", "bulkWrite",
}

func isWriteCommand(name []byte) bool {
	for _, c := range writeCommands {
		if len(c) == len(name) && strings.EqualFold(c, string(name)) {
			return true
		}
	}
	return false
}

// isWrite reports whether the request whose first bytes are in b (b[:len(b)]
// may be only a prefix of a message of h.length bytes) must be serialized.
// When the prefix does not say, it answers true: serializing a read costs a
// little time, letting a write through unserialized costs correctness.
func isWrite(h header, b []byte) bool {
	switch h.opCode {
	case opMsg:
		name, ok := opMsgCommand(h, b)
		return !ok || isWriteCommand(name)
	case opQuery:
		name, ok := opQueryCommand(b)
		return !ok || isWriteCommand(name)
	default:
		// OP_COMPRESSED hides its command; legacy write op codes are writes.
		return true
	}
}

// opMsgCommand returns the first key of an OP_MSG's body section (kind 0).
// The layout after the header is: uint32 flagBits; sections, each a kind
// byte then either a BSON document (kind 0) or an int32 size, a cstring
// identifier and documents (kind 1); an optional CRC-32C checksum.
func opMsgCommand(h header, b []byte) ([]byte, bool) {
	if len(b) < headerLen+4 {
		return nil, false
	}
	end := h.length
	if msgFlags(h, b)&flagChecksumPresent != 0 {
		end -= 4
	}
	pos := headerLen + 4
	for pos < end && pos < len(b) {
		kind := b[pos]
		pos++
		switch kind {
		case 0:
			return firstKey(b[pos:])
		case 1:
			if pos+4 > len(b) {
				return nil, false
			}
			size := int(int32(binary.LittleEndian.Uint32(b[pos : pos+4])))
			if size < 4 {
				return nil, false
			}
			pos += size
		default:
			return nil, false
		}
	}
	return nil, false
}

// opQueryCommand returns the command name of a legacy OP_QUERY on a "$cmd"
// collection: int32 flags, cstring fullCollectionName, int32 numberToSkip,
// int32 numberToReturn, then the query document.
func opQueryCommand(b []byte) ([]byte, bool) {
	pos := headerLen + 4
	if pos > len(b) {
		return nil, false
	}
	nul := indexNUL(b[pos:])
	if nul < 0 {
		return nil, false
	}
	collection := b[pos : pos+nul]
	pos += nul + 1 + 8
	if pos > len(b) {
		return nil, false
	}
	if !strings.HasSuffix(string(collection), ".$cmd") {
		// A plain query on a collection: a read.
		return []byte("find"), true
	}
	return firstKey(b[pos:])
}

// firstKey returns the name of the first element of the BSON document at the
// start of doc: int32 size, then elements (type byte, cstring name, value).
func firstKey(doc []byte) ([]byte, bool) {
	if len(doc) < 5 {
		return nil, false
	}
	if doc[4] == 0 {
		return nil, true // empty document: not a command, not a write
	}
	nul := indexNUL(doc[5:])
	if nul < 0 {
		return nil, false
	}
	return doc[5 : 5+nul], true
}

func indexNUL(b []byte) int {
	for i, c := range b {
		if c == 0 {
			return i
		}
	}
	return -1
}
