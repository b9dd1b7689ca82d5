package loupedb

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Init creates an empty database in dir: a directory holding a git
// repository. dir may exist but must not already hold a repository.
func Init(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating database: %w", err)
	}
	if _, err := git.PlainInit(dir, false); err != nil {
		return fmt.Errorf("creating database %s: %w", dir, err)
	}
	return nil
}

// Repo is the git repository that holds a database.
type Repo struct {
	repo *git.Repository
	root string // the work tree
}

// OpenRepo opens the git repository that holds the database in dir, which
// may be the repository's top directory or any directory below it.
func OpenRepo(dir string) (*Repo, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("opening database: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("opening database: %s is not a directory", dir)
	}
	r, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, fmt.Errorf("database %s is not in a git repository: create one with \"loupe db init %s\"", dir, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("opening the git repository of %s: %w", dir, err)
	}
	wt, err := r.Worktree()
	if err != nil {
		return nil, fmt.Errorf("opening the git repository of %s: %w", dir, err)
	}
	return &Repo{repo: r, root: wt.Filesystem.Root()}, nil
}

// CheckClean returns an error naming the first changed files when the work
// tree has uncommitted changes, untracked files included.
func (r *Repo) CheckClean() error {
	wt, err := r.repo.Worktree()
	if err != nil {
		return err
	}
	st, err := wt.Status()
	if err != nil {
		return fmt.Errorf("reading the git status of %s: %w", r.root, err)
	}
	if st.IsClean() {
		return nil
	}
	var changed []string
	for path, s := range st {
		if s.Staging != git.Unmodified || s.Worktree != git.Unmodified {
			changed = append(changed, path)
		}
	}
	slices.Sort(changed)
	more := ""
	if len(changed) > 5 {
		more = fmt.Sprintf(" and %d more", len(changed)-5)
		changed = changed[:5]
	}
	return fmt.Errorf("database repository %s has uncommitted changes (%s%s): commit them first, or pass --allow-dirty", r.root, strings.Join(changed, ", "), more)
}

// Author returns the identity for commits: $GIT_AUTHOR_NAME and
// $GIT_AUTHOR_EMAIL when both are set, else user.name and user.email from
// the repository, global and system git configuration.
func (r *Repo) Author() (*object.Signature, error) {
	name, email := os.Getenv("GIT_AUTHOR_NAME"), os.Getenv("GIT_AUTHOR_EMAIL")
	if name == "" || email == "" {
		cfg, err := r.repo.ConfigScoped(config.SystemScope)
		if err != nil {
			return nil, fmt.Errorf("reading the git configuration: %w", err)
		}
		name, email = cfg.User.Name, cfg.User.Email
	}
	if name == "" || email == "" {
		return nil, fmt.Errorf("no git identity for commits: set user.name and user.email with git config, or GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL")
	}
	return &object.Signature{Name: name, Email: email, When: time.Now()}, nil
}

// CommitDir stages every change under dir (added, modified and deleted
// files) and commits only those with message. It returns the commit hash.
func (r *Repo) CommitDir(dir, message string) (string, error) {
	author, err := r.Author()
	if err != nil {
		return "", err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	root, err := filepath.Abs(r.root)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return "", fmt.Errorf("committing %s: outside the repository %s", dir, r.root)
	}
	rel = filepath.ToSlash(rel)

	wt, err := r.repo.Worktree()
	if err != nil {
		return "", err
	}
	st, err := wt.Status()
	if err != nil {
		return "", fmt.Errorf("reading the git status of %s: %w", r.root, err)
	}
	var paths, otherStaged []string
	for path, s := range st {
		switch {
		case rel == "." || path == rel || strings.HasPrefix(path, rel+"/"):
			paths = append(paths, path)
		case s.Staging != git.Unmodified && s.Staging != git.Untracked:
			otherStaged = append(otherStaged, path)
		}
	}
	if len(otherStaged) > 0 {
		slices.Sort(otherStaged)
		return "", fmt.Errorf("committing %s: other changes are staged (%s): commit or unstage them first", rel, strings.Join(otherStaged, ", "))
	}
	if len(paths) == 0 {
		return "", nil
	}
	slices.Sort(paths)
	for _, path := range paths {
		if st.File(path).Worktree == git.Deleted {
			_, err = wt.Remove(path)
		} else {
			_, err = wt.Add(path)
		}
		if err != nil {
			return "", fmt.Errorf("staging %s: %w", path, err)
		}
	}
	hash, err := wt.Commit(message, &git.CommitOptions{Author: author})
	if err != nil {
		return "", fmt.Errorf("committing %s: %w", rel, err)
	}
	return hash.String(), nil
}
