"""st80: a Smalltalk-80 (Blue Book) virtual machine in RPython."""
