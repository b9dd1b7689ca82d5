package static

import (
	"os"
	"path/filepath"
	"sync"
)

// A Cache keeps disassembled objects between analyses, so that binaries
// sharing libc and other libraries decode each library once. Entries are
// keyed by path, size and modification time. A Cache is safe for concurrent
// use; the zero value is not, use NewCache.
type Cache struct {
	mu      sync.Mutex
	entries map[cacheKey]*cacheEntry
}

type cacheKey struct {
	path  string
	size  int64
	mtime int64
}

type cacheEntry struct {
	once sync.Once
	obj  *object
	err  error
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{entries: map[cacheKey]*cacheEntry{}}
}

// load returns the object at path, loading it on first use.
func (c *Cache) load(path string) (*object, error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(real)
	if err != nil {
		return nil, err
	}
	key := cacheKey{path: real, size: st.Size(), mtime: st.ModTime().UnixNano()}

	c.mu.Lock()
	e, ok := c.entries[key]
	if !ok {
		e = &cacheEntry{}
		c.entries[key] = e
	}
	c.mu.Unlock()

	e.once.Do(func() { e.obj, e.err = loadObject(real) })
	return e.obj, e.err
}

// objectState is the lazily computed, shared part of an object: data flow
// results and the reverse call index. It is guarded by its own mutex so
// that one cached object can serve concurrent analyses.
type objectState struct {
	mu        sync.Mutex
	flows     map[int32]*funcFlow
	callersOf map[int32][]int // callee -> indexes into sites
	importers map[int32][]int // import -> indexes into sites
}

// flow returns the data flow result of function fi, computing it once.
func (o *object) flow(fi int32) *funcFlow {
	o.state.mu.Lock()
	fl, ok := o.state.flows[fi]
	o.state.mu.Unlock()
	if ok {
		return fl
	}
	fl = o.analyzeFunction(fi)
	o.state.mu.Lock()
	if o.state.flows == nil {
		o.state.flows = map[int32]*funcFlow{}
	}
	o.state.flows[fi] = fl
	o.state.mu.Unlock()
	return fl
}

// callers returns the sites that call function fi directly, and importSites
// those that call import imp.
func (o *object) callers(fi int32) []int {
	o.indexSites()
	return o.state.callersOf[fi]
}

func (o *object) importSites(imp int32) []int {
	o.indexSites()
	return o.state.importers[imp]
}

func (o *object) indexSites() {
	o.state.mu.Lock()
	defer o.state.mu.Unlock()
	if o.state.callersOf != nil {
		return
	}
	o.state.callersOf = map[int32][]int{}
	o.state.importers = map[int32][]int{}
	for i, s := range o.sites {
		if s.callee >= 0 {
			o.state.callersOf[s.callee] = append(o.state.callersOf[s.callee], i)
		} else {
			o.state.importers[s.imp] = append(o.state.importers[s.imp], i)
		}
	}
}
