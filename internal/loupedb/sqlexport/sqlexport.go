// Package sqlexport writes a results database as an SQLite file, with the
// pure-Go driver modernc.org/sqlite so that loupe needs no cgo.
//
// The schema (see schema below) has one table per kind of entry:
//
//	syscalls(nr, name)                          the x86_64 table, for joins
//	applications(id, name)
//	workloads(id, application_id, name, kind)   kind: benchmark or suite
//	runs(id, workload_id, name, chosen, choice_rank, date, loupe_version,
//	     kernel, libc, arch, binary_sha256, mode, command, descriptor)
//	dynamic_results(run_id, nr, used, faked, stubbed, both, need)
//	static_results(run_id, source, nr)          source: binary or sources
//	os_lists(id, name)
//	os_syscalls(os_id, nr)
//
// Runs of every workload are exported, not only the chosen ones: chosen is 1
// for the run the choice rule picks and choice_rank its position in that
// order (0 first). The descriptor columns are NULL for runs without
// run.json; command is a JSON array and descriptor the whole run.json.
// dynamic_results has one row per line of dyn.csv, unused syscalls
// included; need is unused, required, stub_only, fake_only or both.
// static_results lists only the syscalls marked used.
package sqlexport

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/loupe-project/loupe/internal/loupedb"
	"github.com/loupe-project/loupe/internal/plan"
	"github.com/loupe-project/loupe/internal/syscalls"
)

const schema = `
CREATE TABLE syscalls (
	nr   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);
CREATE TABLE applications (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);
CREATE TABLE workloads (
	id             INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL REFERENCES applications(id),
	name           TEXT NOT NULL,
	kind           TEXT NOT NULL CHECK (kind IN ('benchmark', 'suite')),
	UNIQUE (application_id, name)
);
CREATE TABLE runs (
	id            INTEGER PRIMARY KEY,
	workload_id   INTEGER NOT NULL REFERENCES workloads(id),
	name          TEXT NOT NULL,
	chosen        INTEGER NOT NULL CHECK (chosen IN (0, 1)),
	choice_rank   INTEGER NOT NULL,
	date          TEXT,
	loupe_version TEXT,
	kernel        TEXT,
	libc          TEXT,
	arch          TEXT,
	binary_sha256 TEXT,
	mode          TEXT,
	command       TEXT,
	descriptor    TEXT,
	UNIQUE (workload_id, name)
);
CREATE TABLE dynamic_results (
	run_id  INTEGER NOT NULL REFERENCES runs(id),
	nr      INTEGER NOT NULL,
	used    INTEGER NOT NULL,
	faked   INTEGER NOT NULL,
	stubbed INTEGER NOT NULL,
	both    INTEGER NOT NULL,
	need    TEXT NOT NULL,
	PRIMARY KEY (run_id, nr)
);
CREATE TABLE static_results (
	run_id INTEGER NOT NULL REFERENCES runs(id),
	source TEXT NOT NULL CHECK (source IN ('binary', 'sources')),
	nr     INTEGER NOT NULL,
	PRIMARY KEY (run_id, source, nr)
);
CREATE TABLE os_lists (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);
CREATE TABLE os_syscalls (
	os_id INTEGER NOT NULL REFERENCES os_lists(id),
	nr    INTEGER NOT NULL,
	PRIMARY KEY (os_id, nr)
);
`

// Write exports db to an SQLite file at path, replacing any file there. The
// file is written under a temporary name in the same directory and renamed
// when complete, so an interrupted export leaves path as it was.
func Write(ctx context.Context, db *loupedb.DB, path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return fmt.Errorf("exporting to SQLite: %w", err)
	}
	tmpPath := tmp.Name()
	tmp.Close()
	defer os.Remove(tmpPath)

	if err := writeFile(ctx, db, tmpPath); err != nil {
		return fmt.Errorf("exporting to SQLite: %w", err)
	}
	if err := os.Rename(tmpPath, path); err != nil {
		return fmt.Errorf("exporting to SQLite: %w", err)
	}
	return nil
}

func writeFile(ctx context.Context, db *loupedb.DB, path string) (err error) {
	conn, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := conn.Close(); err == nil {
			err = cerr
		}
	}()
	if _, err := conn.ExecContext(ctx, schema); err != nil {
		return fmt.Errorf("creating the schema: %w", err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	w, err := newWriter(ctx, tx)
	if err != nil {
		return err
	}
	defer w.close()
	if err := w.writeSyscallTable(); err != nil {
		return err
	}
	for _, app := range db.Apps {
		if err := w.writeApp(app); err != nil {
			return fmt.Errorf("application %s: %w", app.Name, err)
		}
	}
	for i, l := range db.OSLists {
		if err := w.writeOSList(int64(i+1), l); err != nil {
			return fmt.Errorf("OS list %s: %w", l.Name, err)
		}
	}
	return tx.Commit()
}

// writer holds the prepared statements of one export.
type writer struct {
	ctx                                                    context.Context
	insertSyscall, insertApp, insertWorkload, insertRun    *sql.Stmt
	insertDynamic, insertStatic, insertOS, insertOSSyscall *sql.Stmt
	appID, workloadID, runID                               int64
}

func newWriter(ctx context.Context, tx *sql.Tx) (*writer, error) {
	w := &writer{ctx: ctx}
	stmts := []struct {
		dst   **sql.Stmt
		query string
	}{
		{&w.insertSyscall, `INSERT INTO syscalls (nr, name) VALUES (?, ?)`},
		{&w.insertApp, `INSERT INTO applications (id, name) VALUES (?, ?)`},
		{&w.insertWorkload, `INSERT INTO workloads (id, application_id, name, kind) VALUES (?, ?, ?, ?)`},
		{&w.insertRun, `INSERT INTO runs (id, workload_id, name, chosen, choice_rank, date, loupe_version, kernel, libc, arch, binary_sha256, mode, command, descriptor)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&w.insertDynamic, `INSERT INTO dynamic_results (run_id, nr, used, faked, stubbed, both, need) VALUES (?, ?, ?, ?, ?, ?, ?)`},
		{&w.insertStatic, `INSERT INTO static_results (run_id, source, nr) VALUES (?, ?, ?)`},
		{&w.insertOS, `INSERT INTO os_lists (id, name) VALUES (?, ?)`},
		{&w.insertOSSyscall, `INSERT INTO os_syscalls (os_id, nr) VALUES (?, ?)`},
	}
	for _, s := range stmts {
		stmt, err := tx.PrepareContext(ctx, s.query)
		if err != nil {
			w.close()
			return nil, fmt.Errorf("preparing %q: %w", s.query, err)
		}
		*s.dst = stmt
	}
	return w, nil
}

func (w *writer) close() {
	for _, s := range []*sql.Stmt{w.insertSyscall, w.insertApp, w.insertWorkload, w.insertRun, w.insertDynamic, w.insertStatic, w.insertOS, w.insertOSSyscall} {
		if s != nil {
			s.Close()
		}
	}
}

func (w *writer) exec(stmt *sql.Stmt, args ...any) error {
	_, err := stmt.ExecContext(w.ctx, args...)
	return err
}

func (w *writer) writeSyscallTable() error {
	for _, nr := range syscalls.Numbers(syscalls.X86_64) {
		name, _ := syscalls.Name(syscalls.X86_64, nr)
		if err := w.exec(w.insertSyscall, nr, name); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) writeApp(app *loupedb.App) error {
	w.appID++
	if err := w.exec(w.insertApp, w.appID, app.Name); err != nil {
		return err
	}
	for _, wl := range app.Workloads {
		w.workloadID++
		if err := w.exec(w.insertWorkload, w.workloadID, w.appID, wl.Name, wl.Kind.String()); err != nil {
			return err
		}
		chosen := wl.Chosen()
		for rank, r := range wl.Runs {
			w.runID++
			if err := w.writeRun(r, r == chosen, rank); err != nil {
				return fmt.Errorf("run %s/%s: %w", wl.Name, r.Name, err)
			}
		}
	}
	return nil
}

func (w *writer) writeRun(r *loupedb.Run, chosen bool, rank int) error {
	var date, version, kernel, libc, arch, binary, mode, command, descriptor any
	if d := r.Descriptor; d != nil {
		cmd, err := json.Marshal(d.Command)
		if err != nil {
			return err
		}
		full, err := json.Marshal(d)
		if err != nil {
			return err
		}
		date, version, kernel, libc, arch = d.Date.UTC().Format("2006-01-02T15:04:05Z"), d.LoupeVersion, d.Kernel, d.Libc, d.Arch
		binary, mode, command, descriptor = d.BinarySHA256, d.Mode, string(cmd), string(full)
	}
	if err := w.exec(w.insertRun, w.runID, w.workloadID, r.Name, chosen, rank,
		date, version, kernel, libc, arch, binary, mode, command, descriptor); err != nil {
		return err
	}
	for nr, res := range r.Dynamic {
		need := plan.NeedOf(res).String()
		if err := w.exec(w.insertDynamic, w.runID, nr, res.Used, res.Faked, res.Stubbed, res.Both, need); err != nil {
			return err
		}
	}
	for _, s := range []struct {
		source string
		set    *loupedb.Set
	}{{"binary", r.StaticBinary}, {"sources", r.StaticSources}} {
		for _, nr := range s.set.Numbers() {
			if err := w.exec(w.insertStatic, w.runID, s.source, nr); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *writer) writeOSList(id int64, l *loupedb.OSList) error {
	if err := w.exec(w.insertOS, id, l.Name); err != nil {
		return err
	}
	for _, nr := range l.Syscalls.Numbers() {
		if err := w.exec(w.insertOSSyscall, id, nr); err != nil {
			return err
		}
	}
	return nil
}
