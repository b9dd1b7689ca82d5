package static

import (
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sort"
	"sync"

	"github.com/loupe-project/loupe/internal/syscalls"
)

// Options tune an analysis.
type Options struct {
	// LibraryPath lists directories searched for shared libraries before
	// the system ones, as the dynamic loader searches LD_LIBRARY_PATH.
	LibraryPath []string
	// Cache keeps disassembled libraries for later analyses; nil uses a
	// cache for this analysis only.
	Cache *Cache
	// IgnoreDataPointers leaves out the functions whose address is only
	// stored in data (function pointer tables such as stdio's vtables or
	// SQLite's system call table). The result is smaller but misses the
	// syscalls made only through those tables.
	IgnoreDataPointers bool
}

// ErrNotELF is returned (wrapped) when the binary is not an ELF file.
var ErrNotELF = errNotELF

// A node is one function of the program: an object and a function in it.
type node struct {
	obj, fn int32
}

var noNode = node{-1, -1}

// program is the state of one analysis.
type program struct {
	objs    []*object // the binary, then the libraries in loader search order
	missing []string

	parent  map[node]node // the caller through which the reachability search first reached a node
	reached []node        // in the order the search reached them

	resolved map[[2]int32]node // (object, import) -> function, noNode if none
	notFound map[string]bool   // called imports no object defines

	wrappers  map[node]paramSet // functions taking the syscall number as a parameter
	processed map[siteParam]bool

	result *Result

	followData bool
}

// A siteParam is one parameter location at one call site, so that a
// wrapper whose parameter set grows does not count a site twice.
type siteParam struct {
	obj   int32
	addr  uint64
	param int
}

// Analyze returns the syscalls that the ELF binary at path could make, with
// those of the shared libraries it loads.
func Analyze(path string, opts Options) (*Result, error) {
	cache := opts.Cache
	if cache == nil {
		cache = NewCache()
	}
	main, err := cache.load(path)
	if err != nil {
		if errors.Is(err, errNotELF) {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return nil, err
	}

	p := &program{
		objs:       []*object{main},
		parent:     map[node]node{},
		resolved:   map[[2]int32]node{},
		notFound:   map[string]bool{},
		wrappers:   map[node]paramSet{},
		processed:  map[siteParam]bool{},
		result:     newResult(path),
		followData: !opts.IgnoreDataPointers,
	}
	p.loadLibraries(cache, newLibraryFinder(opts.LibraryPath))
	p.reach()
	p.findSyscalls()
	p.finish()
	return p.result, nil
}

// loadLibraries loads the interpreter and the DT_NEEDED closure breadth
// first, which is the order in which the loader searches symbols. Each level
// of the search is loaded in parallel.
func (p *program) loadLibraries(cache *Cache, finder *libraryFinder) {
	main := p.objs[0]
	if !main.dynamic {
		return
	}
	seen := map[string]bool{}
	level := []*object{main}
	var interp []string
	if main.interp != "" {
		interp = []string{main.interp}
	}
	for len(level) > 0 || len(interp) > 0 {
		var paths []string
		for _, o := range level {
			for _, name := range o.needed {
				path := finder.find(name, o, main)
				if path == "" {
					if !seen["missing:"+name] {
						seen["missing:"+name] = true
						p.missing = append(p.missing, name)
						slog.Warn("shared library not found", "library", name, "needed by", o.path)
					}
					continue
				}
				paths = append(paths, path)
			}
		}
		// The interpreter is loaded last, as glibc's loader places
		// itself after the libraries in the search order.
		if len(paths) == 0 {
			paths, interp = interp, nil
		}

		var next []string
		for _, path := range paths {
			key := realPath(path)
			if !seen[key] {
				seen[key] = true
				next = append(next, path)
			}
		}
		loaded := make([]*object, len(next))
		errs := make([]error, len(next))
		var wg sync.WaitGroup
		for i, path := range next {
			wg.Go(func() { loaded[i], errs[i] = cache.load(path) })
		}
		wg.Wait()

		level = level[:0]
		for i, o := range loaded {
			if errs[i] != nil {
				slog.Warn("shared library not analysed", "path", next[i], "err", errs[i])
				p.missing = append(p.missing, next[i])
				continue
			}
			p.objs = append(p.objs, o)
			level = append(level, o)
		}
	}
}

// reach finds the reachable functions breadth first, so that the parent
// links give a shortest call path to each. The roots are every function of
// the binary itself, and the entry point and init functions of the
// libraries.
func (p *program) reach() {
	var queue []node
	visit := func(n, from node) {
		if _, ok := p.parent[n]; ok || n.fn < 0 {
			return
		}
		p.parent[n] = from
		queue = append(queue, n)
	}
	for fi := range p.objs[0].funcs {
		visit(node{0, int32(fi)}, noNode)
	}
	interp := ""
	if p.objs[0].interp != "" {
		interp = realPath(p.objs[0].interp)
	}
	for oi, o := range p.objs {
		if oi == 0 {
			continue
		}
		if realPath(o.path) == interp {
			visit(node{int32(oi), o.funcAt(o.entry)}, noNode)
		}
		for _, a := range o.initFuncs {
			visit(node{int32(oi), o.funcAt(a)}, noNode)
		}
	}

	objReached := make([]bool, len(p.objs))
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		p.reached = append(p.reached, n)
		o := p.objs[n.obj]
		if !objReached[n.obj] && p.followData {
			objReached[n.obj] = true
			for _, fi := range o.dataRefs {
				visit(node{n.obj, fi}, n)
			}
			for _, imp := range o.dataImports {
				visit(p.resolve(n.obj, imp, false), n)
			}
		}
		f := &o.funcs[n.fn]
		for _, s := range o.callSites(n.fn) {
			if s.callee >= 0 {
				visit(node{n.obj, s.callee}, n)
			} else {
				visit(p.resolve(n.obj, s.imp, true), n)
			}
		}
		for _, imp := range f.imports {
			visit(p.resolve(n.obj, imp, false), n)
		}
		for _, fi := range f.addrRefs {
			visit(node{n.obj, fi}, n)
		}
		p.result.Unresolved.IndirectCalls += f.indirectCalls
		p.result.Unresolved.IndirectJumps += f.indirectJumps
	}
}

// resolve returns the function that import imp of object oi binds to: the
// first definition in search order.
// NOTE: symbol versions are not matched; an import binds to the default
// version of its name, which is what nearly every binary requests.
func (p *program) resolve(oi, imp int32, called bool) node {
	key := [2]int32{oi, imp}
	if n, ok := p.resolved[key]; ok {
		return n
	}
	name := p.objs[oi].imports[imp]
	n := noNode
	isData := false
	for oj, o := range p.objs {
		if fi, ok := o.exports[name]; ok {
			n = node{int32(oj), fi}
			break
		}
		if o.defined[name] {
			isData = true
			break
		}
	}
	if n == noNode && !isData && called {
		p.notFound[name] = true
	}
	p.resolved[key] = n
	return n
}

// findSyscalls recovers the number at every syscall instruction of the
// reachable functions, then passes the numbers of wrapper functions back
// to their callers until no new wrapper appears.
func (p *program) findSyscalls() {
	var work []node
	for _, n := range p.reached {
		o := p.objs[n.obj]
		f := &o.funcs[n.fn]
		if len(f.syscalls) == 0 && len(f.int80) == 0 {
			continue
		}
		flow := o.flow(n.fn)
		for _, sites := range []struct {
			addrs []uint64
			arch  syscalls.Arch
		}{{f.syscalls, syscalls.X86_64}, {f.int80, syscalls.I386}} {
			for _, addr := range sites.addrs {
				v := unknown
				if at := flow.at[addr]; at != nil {
					v = at[regAX]
				}
				if p.use(n, noNode, sites.arch, addr, v) {
					work = append(work, n)
				}
			}
		}
	}

	for len(work) > 0 {
		w := work[0]
		work = work[1:]
		for _, caller := range p.callersOf(w) {
			flow := p.objs[caller.node.obj].flow(caller.node.fn)
			at := flow.at[caller.addr]
			for param := range numParams {
				if p.wrappers[w]&(1<<param) == 0 {
					continue
				}
				key := siteParam{caller.node.obj, caller.addr, param}
				if p.processed[key] {
					continue
				}
				p.processed[key] = true
				v := unknown
				if at != nil {
					v = at[param]
				}
				if p.use(caller.node, w, syscalls.X86_64, caller.addr, v) {
					work = append(work, caller.node)
				}
			}
		}
	}

	for w := range p.wrappers {
		if !p.hasCaller(w) {
			p.result.Unresolved.UnknownNumbers++
			p.result.unknownAt(p.objs[w.obj].funcName(w.fn) + " (takes the number as an argument; no direct caller)")
		}
	}
}

// use records the syscall numbers that value v gives at addr in function n,
// either at a syscall instruction (via is noNode) or as the argument of a
// call to wrapper via.
// It returns true when n becomes a wrapper for new parameters.
func (p *program) use(n, via node, arch syscalls.Arch, addr uint64, v value) bool {
	o := p.objs[n.obj]
	for _, c := range v.consts {
		if _, ok := syscalls.Name(arch, int(c)); !ok {
			p.result.Unresolved.InvalidNumbers = appendUnique(p.result.Unresolved.InvalidNumbers, c)
			continue
		}
		viaName := ""
		if via != noNode {
			viaName = p.objs[via.obj].funcName(via.fn)
		}
		p.result.add(syscalls.Syscall{Arch: arch, Nr: int(c)}, Reach{
			Function: o.funcName(n.fn),
			Via:      viaName,
			Path:     p.path(n),
		})
	}
	if v.unknown {
		p.result.Unresolved.UnknownNumbers++
		p.result.unknownAt(fmt.Sprintf("%s+%#x", o.funcName(n.fn), addr-o.funcs[n.fn].start))
	}
	if v.params&^p.wrappers[n] != 0 {
		p.wrappers[n] |= v.params
		return true
	}
	return false
}

// A caller is a reached function and the address of its call to a wrapper.
type caller struct {
	node node
	addr uint64
}

// callersOf returns the reached call sites of function w: direct calls in
// its own object and calls through the imports that bind to it.
func (p *program) callersOf(w node) []caller {
	var out []caller
	o := p.objs[w.obj]
	for _, i := range o.callers(w.fn) {
		s := o.sites[i]
		if _, ok := p.parent[node{w.obj, s.caller}]; ok {
			out = append(out, caller{node{w.obj, s.caller}, s.addr})
		}
	}
	for key, n := range p.resolved {
		if n != w {
			continue
		}
		oj := p.objs[key[0]]
		for _, i := range oj.importSites(key[1]) {
			s := oj.sites[i]
			if _, ok := p.parent[node{key[0], s.caller}]; ok {
				out = append(out, caller{node{key[0], s.caller}, s.addr})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].node != out[j].node {
			return out[i].node.obj < out[j].node.obj || (out[i].node.obj == out[j].node.obj && out[i].node.fn < out[j].node.fn)
		}
		return out[i].addr < out[j].addr
	})
	return out
}

func (p *program) hasCaller(w node) bool {
	return len(p.callersOf(w)) > 0
}

// path returns the call path from a root to n.
func (p *program) path(n node) []string {
	var rev []string
	for n != noNode && len(rev) < 1000 {
		rev = append(rev, p.objs[n.obj].funcName(n.fn))
		n = p.parent[n]
	}
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	return rev
}

// finish fills in the parts of the result that are known only at the end.
func (p *program) finish() {
	r := p.result
	for _, o := range p.objs {
		r.Objects = append(r.Objects, Object{Name: o.name, Path: o.path})
	}
	r.MissingLibraries = p.missing
	for name := range p.notFound {
		r.Unresolved.MissingImports = append(r.Unresolved.MissingImports, name)
	}
	sort.Strings(r.Unresolved.MissingImports)
	sort.Slice(r.Unresolved.InvalidNumbers, func(i, j int) bool {
		return r.Unresolved.InvalidNumbers[i] < r.Unresolved.InvalidNumbers[j]
	})
	sort.Strings(r.Unresolved.UnknownSites)
	r.ReachableFunctions = len(p.reached)
	for _, o := range p.objs {
		r.Functions += len(o.funcs)
	}
}

func appendUnique(list []int64, v int64) []int64 {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

func realPath(path string) string {
	if r, err := filepath.EvalSymlinks(path); err == nil {
		return r
	}
	return path
}
