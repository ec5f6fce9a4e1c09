"""Reference data (communes, EPCI, ROME, NAF) and the territory served."""
