package matching

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// DIMACS interchange, design.md's shape: a min-cost-flow problem
//
//	p min N M
//	n SOURCE S         the source supplies one unit per seeker
//	n SINK -S
//	a SOURCE SINK 0 S 0  a seeker left unassigned
//	a SOURCE s 0 1 0     one per seeker s
//	a s o 0 1 -score     one per candidate pair, score >= 0
//	a o SINK 0 cap 0     one per opening o, cap >= 0
//
// WriteDIMACS numbers the source 1, the sink 2, seekers 3..S+2 and openings
// after them; ParseDIMACS accepts any numbering of that shape.

// DIMACSFile is a batch read from a DIMACS file, with the file's node ids so
// that a solution can be written in the file's own numbering.
type DIMACSFile struct {
	Problem      *Problem
	Source, Sink int32
	SeekerNodes  []int32 // node id of seeker i, increasing
	OpeningNodes []int32 // node id of opening j, increasing
}

// WriteDIMACS writes p as a DIMACS min-cost-flow problem of design.md's
// shape: node 1 is the source, 2 the sink, seekers are 3..Seekers+2 and
// openings follow. Arcs keep the problem's order, score 0 arcs included. It
// returns an error for an invalid problem (see Problem.Validate) or when w
// fails.
func WriteDIMACS(w io.Writer, p *Problem) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("write dimacs: %w", err)
	}
	nS, nO := int64(p.Seekers), int64(len(p.Capacities))
	bw := bufio.NewWriterSize(w, 1<<16)
	var b []byte
	b = fmt.Appendf(b, "c Parcours batch: %d seekers, %d openings, %d candidate pairs\n", nS, nO, len(p.Arcs))
	b = fmt.Appendf(b, "p min %d %d\nn 1 %d\nn 2 %d\na 1 2 0 %d 0\n", nS+nO+2, 1+nS+int64(len(p.Arcs))+nO, nS, -nS, nS)
	for s := int64(0); s < nS; s++ {
		b = append(b, "a 1 "...)
		b = strconv.AppendInt(b, s+3, 10)
		b = append(b, " 0 1 0\n"...)
		if len(b) > 1<<15 {
			bw.Write(b)
			b = b[:0]
		}
	}
	for _, a := range p.Arcs {
		b = append(b, "a "...)
		b = strconv.AppendInt(b, int64(a.Seeker)+3, 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(a.Opening)+nS+3, 10)
		b = append(b, " 0 1 "...)
		b = strconv.AppendInt(b, -int64(a.Score), 10)
		b = append(b, '\n')
		if len(b) > 1<<15 {
			bw.Write(b)
			b = b[:0]
		}
	}
	for o, c := range p.Capacities {
		b = append(b, "a "...)
		b = strconv.AppendInt(b, int64(o)+nS+3, 10)
		b = append(b, " 2 0 "...)
		b = strconv.AppendInt(b, int64(c), 10)
		b = append(b, " 0\n"...)
		if len(b) > 1<<15 {
			bw.Write(b)
			b = b[:0]
		}
	}
	bw.Write(b)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write dimacs: %w", err)
	}
	return nil
}

// WriteDIMACSSolution writes s in DIMACS solution lines, numbered as
// WriteDIMACS numbers p: "s COST" (the minimum cost, minus the objective),
// then "f u v 1" for each seeker assigned to an opening, in seeker order.
func WriteDIMACSSolution(w io.Writer, p *Problem, s Solution) error {
	if p == nil {
		return errors.New("write dimacs solution: the problem is missing")
	}
	f := &DIMACSFile{Problem: p, Source: 1, Sink: 2}
	if p.Seekers < 0 || p.Seekers > maxSolverSize || len(p.Capacities) > maxSolverSize-p.Seekers {
		return errors.New("write dimacs solution: the problem's size is invalid")
	}
	f.SeekerNodes = make([]int32, p.Seekers)
	for i := range f.SeekerNodes {
		f.SeekerNodes[i] = int32(i + 3)
	}
	f.OpeningNodes = make([]int32, len(p.Capacities))
	for j := range f.OpeningNodes {
		f.OpeningNodes[j] = int32(p.Seekers + j + 3)
	}
	return f.WriteSolution(w, s)
}

// WriteSolution writes s in DIMACS solution lines with the file's node ids:
// "s COST" (the minimum cost, minus the objective), then "f u v 1" for each
// seeker assigned to an opening, in seeker order. It returns an error when s
// does not fit the file's problem.
func (f *DIMACSFile) WriteSolution(w io.Writer, s Solution) error {
	if f == nil || f.Problem == nil {
		return errors.New("write dimacs solution: the problem is missing")
	}
	if len(s.Assigned) != len(f.SeekerNodes) {
		return fmt.Errorf("write dimacs solution: %d assignments for %d seekers", len(s.Assigned), len(f.SeekerNodes))
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	b := make([]byte, 0, 1<<15+64)
	b = append(b, "s "...)
	b = strconv.AppendInt(b, -s.Objective, 10)
	b = append(b, '\n')
	for i, o := range s.Assigned {
		if o < 0 {
			continue
		}
		if int(o) >= len(f.OpeningNodes) {
			return fmt.Errorf("write dimacs solution: seeker %d is assigned to opening %d, outside 0..%d", i, o, len(f.OpeningNodes)-1)
		}
		b = append(b, "f "...)
		b = strconv.AppendInt(b, int64(f.SeekerNodes[i]), 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(f.OpeningNodes[o]), 10)
		b = append(b, " 1\n"...)
		if len(b) > 1<<15 {
			bw.Write(b)
			b = b[:0]
		}
	}
	bw.Write(b)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write dimacs solution: %w", err)
	}
	return nil
}

// ReadDIMACS reads a batch from a DIMACS min-cost-flow file of design.md's
// shape, in any node numbering. See ParseDIMACS.
func ReadDIMACS(r io.Reader) (*Problem, error) {
	f, err := ParseDIMACS(r)
	if err != nil {
		return nil, err
	}
	return f.Problem, nil
}

// DIMACSError is a file that is not a DIMACS problem of design.md's shape.
// Line is the 1-based line at fault, 0 when the fault is the file as a whole.
type DIMACSError struct {
	Line int
	Msg  string
}

func (e *DIMACSError) Error() string {
	if e.Line == 0 {
		return "dimacs: " + e.Msg
	}
	return fmt.Sprintf("dimacs line %d: %s", e.Line, e.Msg)
}

// Node roles while reading.
const (
	roleNone uint8 = iota
	roleSource
	roleSink
	roleSeeker
	roleOpening
)

// maxDIMACSLine bounds one line of a DIMACS file.
const maxDIMACSLine = 1 << 16

// ParseDIMACS reads a DIMACS min-cost-flow file of design.md's shape:
// comment lines ("c ..."), then one "p min N M" line, node lines
// ("n id supply"), then exactly M arc lines ("a u v low cap cost"); blank
// lines are ignored. The source is the node with a positive supply S and the
// sink the node with supply -S; when no supply is given (a batch without
// seekers) they are nodes 1 and 2. Seekers are the heads of the source's cap
// 1 arcs (S of them), openings the tails of the arcs into the sink, and they
// are indexed in increasing node id. Every node must have one of these roles.
// Anything else, a malformed line, wrong counts or a negative capacity is a
// *DIMACSError that names the line and the rule.
func ParseDIMACS(r io.Reader) (*DIMACSFile, error) {
	ps := &dimacsParser{lines: newLineReader(r)}
	if err := ps.parse(); err != nil {
		return nil, err
	}
	return ps.build()
}

type dimacsParser struct {
	lines *lineReader

	nodes, arcs  int64 // from the p line
	seenP        bool
	seenArc      bool
	arcCount     int64
	source, sink int32
	supply       int64
	unassigned   bool // the source->sink arc was read

	role  []uint8 // per node id (index 0 unused), grown as ids appear
	capOf []int32 // per node id: the opening's capacity
	pairs []Arc   // seeker->opening arcs, in node ids until build
	nSeek int64
}

func (ps *dimacsParser) errf(format string, args ...any) error {
	return &DIMACSError{Line: ps.lines.n, Msg: fmt.Sprintf(format, args...)}
}

func (ps *dimacsParser) parse() error {
	var v [6]int64
	for {
		line, err := ps.lines.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		line = trimSpace(line)
		if len(line) == 0 {
			continue
		}
		kind := line[0]
		if len(line) > 1 && line[1] != ' ' && line[1] != '\t' {
			return ps.errf("unknown line %q: want a line starting with c, p, n or a", shorten(line))
		}
		switch kind {
		case 'c':
			continue
		case 'p':
			if ps.seenP {
				return ps.errf("a second problem line; there must be exactly one")
			}
			rest := trimSpace(line[1:])
			if len(rest) < 4 || string(rest[:3]) != "min" || (rest[3] != ' ' && rest[3] != '\t') {
				return ps.errf("the problem line must read \"p min NODES ARCS\"")
			}
			if n, err := parseInts(rest[3:], v[:2]); err != nil || n != 2 {
				return ps.errf("the problem line must read \"p min NODES ARCS\"")
			}
			if v[0] < 2 || v[0] > maxSolverSize {
				return ps.errf("the node count %d is outside 2..%d", v[0], int64(maxSolverSize))
			}
			if v[1] < 1 || v[1] > maxSolverSize {
				return ps.errf("the arc count %d is outside 1..%d (there is always the source to sink arc)", v[1], int64(maxSolverSize))
			}
			if v[0] > v[1]+2 {
				return ps.errf("%d nodes cannot all have arcs with only %d arcs: every seeker and opening has one", v[0], v[1])
			}
			ps.nodes, ps.arcs, ps.seenP = v[0], v[1], true
			ps.role = make([]uint8, min(v[0]+1, 1<<20))
			ps.capOf = make([]int32, len(ps.role))
			ps.pairs = make([]Arc, 0, min(v[1], 1<<22))
		case 'n':
			if !ps.seenP {
				return ps.errf("a node line before the problem line")
			}
			if ps.seenArc {
				return ps.errf("a node line after arc lines: nodes come first")
			}
			if n, err := parseInts(line[1:], v[:2]); err != nil || n != 2 {
				return ps.errf("a node line must read \"n ID SUPPLY\"")
			}
			if err := ps.node(v[0], v[1]); err != nil {
				return err
			}
		case 'a':
			if !ps.seenP {
				return ps.errf("an arc line before the problem line")
			}
			if n, err := parseInts(line[1:], v[:5]); err != nil || n != 5 {
				return ps.errf("an arc line must read \"a FROM TO LOW CAP COST\" with integers")
			}
			if err := ps.arc(v[0], v[1], v[2], v[3], v[4]); err != nil {
				return err
			}
		default:
			return ps.errf("unknown line %q: want a line starting with c, p, n or a", shorten(line))
		}
	}
	if !ps.seenP {
		return &DIMACSError{Msg: "no problem line \"p min NODES ARCS\": not a DIMACS min-cost-flow file"}
	}
	if !ps.seenArc {
		if err := ps.endpoints(); err != nil {
			return err
		}
	}
	if ps.arcCount != ps.arcs {
		return &DIMACSError{Msg: fmt.Sprintf("the problem line announces %d arcs, the file has %d", ps.arcs, ps.arcCount)}
	}
	return nil
}

func (ps *dimacsParser) checkID(id int64) error {
	if id < 1 || id > ps.nodes {
		return ps.errf("node %d is outside 1..%d", id, ps.nodes)
	}
	return nil
}

// grow makes room for node id in the per-node arrays.
func (ps *dimacsParser) grow(id int32) {
	if int(id) < len(ps.role) {
		return
	}
	n := min(max(int64(id)+1, 2*int64(len(ps.role))), ps.nodes+1)
	role := make([]uint8, n)
	copy(role, ps.role)
	ps.role = role
	capOf := make([]int32, n)
	copy(capOf, ps.capOf)
	ps.capOf = capOf
}

func (ps *dimacsParser) node(id, supply int64) error {
	if err := ps.checkID(id); err != nil {
		return err
	}
	switch {
	case supply > 0:
		if ps.source != 0 {
			return ps.errf("nodes %d and %d both have a positive supply; only the source has one", ps.source, id)
		}
		if supply > maxSolverSize {
			return ps.errf("the source's supply %d is too large", supply)
		}
		ps.source, ps.supply = int32(id), supply
	case supply < 0:
		if ps.sink != 0 {
			return ps.errf("nodes %d and %d both have a negative supply; only the sink has one", ps.sink, id)
		}
		ps.sink = int32(id)
		if -supply > maxSolverSize {
			return ps.errf("the sink's supply %d is too large", supply)
		}
		if ps.source != 0 && -supply != ps.supply {
			return ps.errf("the sink's supply %d does not balance the source's %d", supply, ps.supply)
		}
		ps.supply = -supply
	}
	return nil
}

// endpoints settles the source and the sink once the node lines are read.
func (ps *dimacsParser) endpoints() error {
	switch {
	case ps.source != 0 && ps.sink != 0:
		if ps.source == ps.sink {
			return ps.errf("the source and the sink are the same node")
		}
	case ps.source != 0:
		return ps.errf("the source %d supplies %d but no node has supply %d (the sink)", ps.source, ps.supply, -ps.supply)
	case ps.sink != 0:
		return ps.errf("the sink %d has supply %d but no node has a positive supply (the source)", ps.sink, -ps.supply)
	default:
		ps.source, ps.sink, ps.supply = 1, 2, 0
	}
	ps.grow(max(ps.source, ps.sink))
	ps.role[ps.source], ps.role[ps.sink] = roleSource, roleSink
	return nil
}

func (ps *dimacsParser) arc(u64, v64, low, capacity, cost int64) error {
	if !ps.seenArc {
		ps.seenArc = true
		if err := ps.endpoints(); err != nil {
			return err
		}
	}
	ps.arcCount++
	if ps.arcCount > ps.arcs {
		return ps.errf("more arc lines than the %d the problem line announces", ps.arcs)
	}
	if err := ps.checkID(u64); err != nil {
		return err
	}
	if err := ps.checkID(v64); err != nil {
		return err
	}
	u, v := int32(u64), int32(v64)
	switch {
	case low != 0:
		return ps.errf("arc %d->%d has lower bound %d; only 0 is allowed", u, v, low)
	case capacity < 0:
		return ps.errf("arc %d->%d has a negative capacity (%d)", u, v, capacity)
	case u == v:
		return ps.errf("arc %d->%d is a loop", u, v)
	case v == ps.source:
		return ps.errf("arc %d->%d enters the source", u, v)
	case u == ps.sink:
		return ps.errf("arc %d->%d leaves the sink", u, v)
	}
	ps.grow(max(u, v))
	switch {
	case u == ps.source && v == ps.sink:
		if ps.unassigned {
			return ps.errf("a second source to sink arc")
		}
		if capacity != ps.supply || cost != 0 {
			return ps.errf("the source to sink arc must have capacity %d (the supply) and cost 0", ps.supply)
		}
		ps.unassigned = true
	case u == ps.source:
		if capacity != 1 || cost != 0 {
			return ps.errf("arc %d->%d from the source must have capacity 1 and cost 0", u, v)
		}
		switch ps.role[v] {
		case roleSeeker:
			return ps.errf("a second arc from the source to seeker %d", v)
		case roleOpening:
			return ps.errf("node %d is both a seeker (arc from the source) and an opening (arc to the sink)", v)
		}
		ps.role[v] = roleSeeker
		ps.nSeek++
	case v == ps.sink:
		if cost != 0 {
			return ps.errf("arc %d->%d into the sink must have cost 0", u, v)
		}
		if capacity > maxSolverSize {
			return ps.errf("arc %d->%d has a capacity too large (%d)", u, v, capacity)
		}
		switch ps.role[u] {
		case roleOpening:
			return ps.errf("a second arc from opening %d to the sink", u)
		case roleSeeker:
			return ps.errf("node %d is both a seeker (arc from the source) and an opening (arc to the sink)", u)
		}
		ps.role[u] = roleOpening
		ps.capOf[u] = int32(capacity)
	default:
		if capacity != 1 {
			return ps.errf("candidate arc %d->%d must have capacity 1, not %d", u, v, capacity)
		}
		if cost > 0 || cost < -maxSolverSize {
			return ps.errf("candidate arc %d->%d must have a cost between -%d and 0 (minus the score), not %d", u, v, int64(maxSolverSize), cost)
		}
		ps.pairs = append(ps.pairs, Arc{Seeker: u, Opening: v, Score: int32(-cost)})
	}
	return nil
}

// build checks the roles and turns node ids into seeker and opening indexes.
func (ps *dimacsParser) build() (*DIMACSFile, error) {
	if !ps.unassigned {
		return nil, &DIMACSError{Msg: fmt.Sprintf("no arc from the source %d to the sink %d (a seeker left unassigned)", ps.source, ps.sink)}
	}
	if ps.nSeek != ps.supply {
		return nil, &DIMACSError{Msg: fmt.Sprintf("the source supplies %d but has arcs to %d seekers", ps.supply, ps.nSeek)}
	}
	f := &DIMACSFile{Problem: &Problem{Seekers: int(ps.nSeek)}, Source: ps.source, Sink: ps.sink}
	f.SeekerNodes = make([]int32, 0, ps.nSeek)
	index := make([]int32, len(ps.role))
	for id := int32(1); int64(id) <= ps.nodes; id++ {
		r := roleNone
		if int(id) < len(ps.role) {
			r = ps.role[id]
		}
		switch r {
		case roleNone:
			return nil, &DIMACSError{Msg: fmt.Sprintf("node %d is neither the source, the sink, a seeker (arc from the source) nor an opening (arc to the sink)", id)}
		case roleSeeker:
			index[id] = int32(len(f.SeekerNodes))
			f.SeekerNodes = append(f.SeekerNodes, id)
		case roleOpening:
			index[id] = int32(len(f.OpeningNodes))
			f.OpeningNodes = append(f.OpeningNodes, id)
			f.Problem.Capacities = append(f.Problem.Capacities, ps.capOf[id])
		}
	}
	if f.Problem.Capacities == nil {
		f.Problem.Capacities = []int32{}
	}
	for i, a := range ps.pairs {
		if ps.role[a.Seeker] != roleSeeker || ps.role[a.Opening] != roleOpening {
			return nil, &DIMACSError{Msg: fmt.Sprintf("arc %d->%d does not go from a seeker (arc from the source) to an opening (arc to the sink)", a.Seeker, a.Opening)}
		}
		ps.pairs[i] = Arc{Seeker: index[a.Seeker], Opening: index[a.Opening], Score: a.Score}
	}
	f.Problem.Arcs = ps.pairs
	return f, nil
}

// lineReader yields the lines of r without their end of line, reading in
// large blocks.
type lineReader struct {
	r          io.Reader
	buf        []byte
	start, end int
	eof        bool
	n          int // number of the line last returned
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: r, buf: make([]byte, 1<<20)}
}

func (lr *lineReader) next() ([]byte, error) {
	for {
		if i := bytes.IndexByte(lr.buf[lr.start:lr.end], '\n'); i >= 0 {
			line := lr.buf[lr.start : lr.start+i]
			lr.start += i + 1
			lr.n++
			return line, nil
		}
		if lr.eof {
			if lr.start == lr.end {
				return nil, io.EOF
			}
			line := lr.buf[lr.start:lr.end]
			lr.start = lr.end
			lr.n++
			return line, nil
		}
		if lr.end-lr.start >= maxDIMACSLine {
			return nil, &DIMACSError{Line: lr.n + 1, Msg: fmt.Sprintf("line longer than %d bytes", maxDIMACSLine)}
		}
		if lr.start > 0 {
			lr.end = copy(lr.buf, lr.buf[lr.start:lr.end])
			lr.start = 0
		}
		k, err := lr.r.Read(lr.buf[lr.end:])
		lr.end += k
		if err == io.EOF {
			lr.eof = true
		} else if err != nil {
			return nil, fmt.Errorf("read dimacs: %w", err)
		}
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' }

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

var errDIMACSNumber = errors.New("not an integer")

// parseInts reads up to len(out) blank-separated decimal integers from b
// into out and returns how many there were; more fields than len(out), or a
// field that is not an integer within ±2^62, is an error.
func parseInts(b []byte, out []int64) (int, error) {
	n, i := 0, 0
	for {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i == len(b) {
			return n, nil
		}
		if n == len(out) {
			return n, errDIMACSNumber
		}
		neg := false
		if b[i] == '-' || b[i] == '+' {
			neg = b[i] == '-'
			i++
		}
		j := i
		var x int64
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			if x > 1<<62/10 {
				return n, errDIMACSNumber
			}
			x = x*10 + int64(b[i]-'0')
			i++
		}
		if i == j || (i < len(b) && !isSpace(b[i])) {
			return n, errDIMACSNumber
		}
		if neg {
			x = -x
		}
		out[n] = x
		n++
	}
}

// shorten keeps error messages readable when a line is long.
func shorten(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "..."
	}
	return string(b)
}
