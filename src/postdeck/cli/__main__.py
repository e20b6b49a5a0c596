from postdeck.cli import main

main()
