// The OWL API's own OWL 2 DL profile checker (org.semanticweb.owlapi.profiles.OWL2DLProfile) on
// one ontology document; run by tests/test_ontology_files.py as a single-file source program:
//   java -cp '/usr/share/java/*' tests/java/ProfileCheck.java ontology/inograph.ttl
// Prints one line per violation, then "IN PROFILE" or "NOT IN PROFILE".
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.profiles.Profiles;

public class ProfileCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(args[0]));
        OWLProfileReport report = Profiles.OWL2_DL.checkOntology(ontology);
        for (OWLProfileViolation violation : report.getViolations()) {
            System.out.println(violation.toString().replace('\n', ' '));
        }
        System.out.println(report.isInProfile() ? "IN PROFILE" : "NOT IN PROFILE");
    }
}
