package syscalls

//go:generate go run ./internal/gen -arch x86_64 -var namesX86_64 -o zsyscalls_x86_64.go tables/syscall_64.tbl
//go:generate go run ./internal/gen -arch i386 -var namesI386 -o zsyscalls_i386.go tables/syscall_32.tbl
