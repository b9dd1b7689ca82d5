package loupedb

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestMoveIntoPlaceExchangesExistingRun(t *testing.T) {
	root := t.TempDir()
	tmp, dir := filepath.Join(root, "tmp"), filepath.Join(root, "run")
	for path, content := range map[string]string{tmp: "new", dir: "old"} {
		if err := os.Mkdir(path, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(path, "f"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	replaced, err := moveIntoPlace(tmp, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !replaced {
		t.Error("replaced = false, want true")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "f")); string(got) != "new" {
		t.Errorf("run holds %q, want the new content", got)
	}
	// The caller removes tmp, which now holds the old run.
	if got, _ := os.ReadFile(filepath.Join(tmp, "f")); string(got) != "old" {
		t.Errorf("tmp holds %q, want the old run", got)
	}
}

func TestStoreLeavesNoTemporaryFiles(t *testing.T) {
	db := t.TempDir()
	if err := os.Mkdir(filepath.Join(db, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	run := &NewRun{Dynamic: Dynamic{{Used: true}}, Command: []string{"x"}, Mode: "server", Start: testTime}
	for range 2 {
		if _, _, err := Store(db, "a", "suite", run); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(filepath.Join(db, ".git", "loupe-tmp"))
	if err != nil || len(entries) != 0 {
		t.Errorf(".git/loupe-tmp holds %d entries (%v), want none", len(entries), err)
	}
	entries, err = os.ReadDir(filepath.Join(db, "a", "suite"))
	if err != nil || len(entries) != 1 {
		t.Errorf("workload directory holds %d entries (%v), want 1", len(entries), err)
	}
}

var testTime = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
