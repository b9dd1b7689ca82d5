package loupedb

import (
	"fmt"
	"os"

	"github.com/go-git/go-git/v5"
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
