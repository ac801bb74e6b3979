from objector.cli import main

main()
