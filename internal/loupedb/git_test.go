package loupedb_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/loupe-project/loupe/internal/loupedb"
)

// initRepo creates a database repository with a local git identity.
func initRepo(t *testing.T) string {
	t.Helper()
	t.Setenv("GIT_AUTHOR_NAME", "Test")
	t.Setenv("GIT_AUTHOR_EMAIL", "test@example.com")
	dir := filepath.Join(t.TempDir(), "db")
	if err := loupedb.Init(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

func headCommit(t *testing.T, dir string) *object.Commit {
	t.Helper()
	r, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	head, err := r.Head()
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.CommitObject(head.Hash())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func commitFiles(t *testing.T, c *object.Commit) []string {
	t.Helper()
	tree, err := c.Tree()
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	tree.Files().ForEach(func(f *object.File) error {
		files = append(files, f.Name)
		return nil
	})
	return files
}

func TestStoreStoresRunInRepo(t *testing.T) {
	db := initRepo(t)
	repo, err := loupedb.OpenRepo(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := repo.CheckClean(); err != nil {
		t.Fatalf("new database: %v", err)
	}
	dir, _, err := loupedb.Store(db, "nginx", "suite", sampleRun())
	if err != nil {
		t.Fatal(err)
	}
	if err := repo.CheckClean(); err == nil {
		t.Error("CheckClean passed with an uncommitted run")
	}
	hash, err := repo.CommitDir(dir, "Add nginx/suite run")
	if err != nil {
		t.Fatal(err)
	}
	if err := repo.CheckClean(); err != nil {
		t.Errorf("after the commit: %v", err)
	}
	c := headCommit(t, db)
	if c.Hash.String() != hash || c.Message != "Add nginx/suite run" || c.Author.Name != "Test" {
		t.Errorf("HEAD = %s %q by %s, want %s", c.Hash, c.Message, c.Author.Name, hash)
	}
	files := strings.Join(commitFiles(t, c), " ")
	id := filepath.Base(dir)
	for _, f := range []string{"data/dyn.csv", "data/static_binary.csv", "run.json", "test-script"} {
		if !strings.Contains(files, "nginx/suite/"+id+"/"+f) {
			t.Errorf("commit lacks %s: %s", f, files)
		}
	}

	// Replacing the run without static analysis commits the removal.
	r := sampleRun()
	r.StaticBinary = nil
	if _, _, err := loupedb.Store(db, "nginx", "suite", r); err != nil {
		t.Fatal(err)
	}
	if _, err := repo.CommitDir(dir, "Update nginx/suite run"); err != nil {
		t.Fatal(err)
	}
	if files := strings.Join(commitFiles(t, headCommit(t, db)), " "); strings.Contains(files, "static_binary.csv") {
		t.Errorf("static_binary.csv still in the tree after its removal: %s", files)
	}
	if err := repo.CheckClean(); err != nil {
		t.Errorf("after the second commit: %v", err)
	}
}

func TestCheckCleanNamesChangedFiles(t *testing.T) {
	db := initRepo(t)
	if err := os.WriteFile(filepath.Join(db, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	repo, err := loupedb.OpenRepo(db)
	if err != nil {
		t.Fatal(err)
	}
	err = repo.CheckClean()
	if err == nil || !strings.Contains(err.Error(), "notes.txt") || !strings.Contains(err.Error(), "--allow-dirty") {
		t.Errorf("CheckClean = %v, want an error naming notes.txt and --allow-dirty", err)
	}
}

func TestOpenRepoRejectsPlainDirectory(t *testing.T) {
	dir := t.TempDir()
	_, err := loupedb.OpenRepo(dir)
	if err == nil || !strings.Contains(err.Error(), "loupe db init") {
		t.Errorf("OpenRepo = %v, want an error suggesting loupe db init", err)
	}
}

func TestAuthorRequiresIdentity(t *testing.T) {
	db := initRepo(t)
	t.Setenv("GIT_AUTHOR_NAME", "")
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	repo, err := loupedb.OpenRepo(db)
	if err != nil {
		t.Fatal(err)
	}
	// A system-wide /etc/gitconfig may still provide one.
	if _, err := repo.Author(); err != nil && !strings.Contains(err.Error(), "user.name") {
		t.Errorf("Author error = %v, want one naming user.name", err)
	}
}
